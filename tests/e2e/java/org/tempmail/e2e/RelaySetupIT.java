package org.tempmail.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.testsupport.DkimTool;

/**
 * Setup 1 of main.cf.example with the pipe entry of master.cf.example, in a private Postfix instance: real mail
 * over SMTP to temporary addresses, through tempmail serve at RCPT TO and tempmail deliver in the pipe.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class RelaySetupIT {
    private static final String SENDER = "sender@example.net";
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static TempmailInstance instance;

    @BeforeAll
    static void startInstance() throws Exception {
        TempmailInstance.requireRealPostfix();
        instance = TempmailInstance.start("relay", TempmailInstance.Setup.RELAY);
    }

    @AfterAll
    static void stopInstance() throws Exception {
        if (instance != null) {
            instance.close();
        }
    }

    private static SmtpClient connect() throws Exception {
        return new SmtpClient(instance.postfix.smtpPort());
    }

    /** Sends a text message to {@code recipient} and returns it as the maildrop received it. */
    private static Maildir.Delivered sendAndAwait(String sender, String recipient) throws Exception {
        TestMessage message = TestMessage.text(sender, recipient);
        try (SmtpClient smtp = connect()) {
            smtp.send(sender, recipient, message);
        }
        Maildir.Delivered delivered = instance.maildir.await(message.marker(), DELIVERY, instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest(), "body changed on the way: " + delivered.file());
        return delivered;
    }

    private static void assertDeliveredFor(Maildir.Delivered delivered, String recipient) {
        List<String> tempmailTo = delivered.values("X-Tempmail-To");
        assertEquals(1, tempmailTo.size(), "one X-Tempmail-To in " + delivered.header());
        assertTrue(tempmailTo.get(0).equalsIgnoreCase(recipient), "X-Tempmail-To: " + tempmailTo.get(0));
        assertEquals(List.of("<" + SENDER + ">"), delivered.values("Return-Path"),
                "resubmitted with the original sender");
    }

    @Test
    @Order(1)
    void todaysAndYesterdaysAddressesArriveWithXTempmailToAndTheBodyUnchanged() throws Exception {
        LocalDate today = instance.today();
        for (LocalDate day : List.of(today, today.minusDays(1))) {
            String address = instance.addressOf(day);
            Maildir.Delivered delivered = sendAndAwait(SENDER, address);
            assertDeliveredFor(delivered, address);
            assertEquals(1, delivered.values("X-Tempmail-Expires").size(), "one X-Tempmail-Expires");
            // The deliver process handed the message to the server, whose sendmail reached this instance.
            String handedOver = "(--sender=" + SENDER + " --recipient=" + address + " --queue-id=";
            assertTrue(instance.server.log().lines().anyMatch(l -> l.contains(handedOver) && l.endsWith("exit 0")),
                    instance.server.log());
        }
    }

    @Test
    @Order(2)
    void aMixedCaseSpellingArrives() throws Exception {
        String address = mixedCase(instance.addressOf(instance.today()));

        assertDeliveredFor(sendAndAwait(SENDER, address), address);
    }

    @Test
    @Order(3)
    void theDayBeforeYesterdaysAndARandomAddressAreRejectedAtRcptTo() throws Exception {
        String expired = instance.addressOf(instance.today().minusDays(2));
        String random = UUID.randomUUID().toString().substring(0, 8) + "@temp.example.org";
        try (SmtpClient smtp = connect()) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            for (String address : List.of(expired, random)) {
                SmtpClient.Reply reply = smtp.rcptTo(address);
                assertEquals(550, reply.code(), address + ": " + reply);
                assertTrue(reply.text().startsWith("5.1.1 <" + address + ">"), address + ": " + reply);
            }
            SmtpClient.Reply data = smtp.command("DATA");
            assertEquals(554, data.code(), "no recipient was accepted, so no data may be sent: " + data);
        }
        for (String address : List.of(expired, random)) {
            instance.postfix.awaitLog(Pattern.compile("NOQUEUE: reject: RCPT from \\S+: 550 5\\.1\\.1 <"
                    + Pattern.quote(address) + ">"), Duration.ofSeconds(10));
        }
    }

    @Test
    @Order(4)
    void aBounceWithTheNullSenderIsDeliveredAsABounce() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage bounce = TestMessage.text("", address);
        try (SmtpClient smtp = connect()) {
            smtp.send("", address, bounce);
        }

        Maildir.Delivered delivered = instance.maildir.await(bounce.marker(), DELIVERY, instance.postfix);
        assertEquals(bounce.bodyDigest(), delivered.bodyDigest());
        assertEquals(List.of("<>"), delivered.values("Return-Path"), "resubmitted with the null sender");
    }

    @Test
    @Order(5)
    void withTheSocketmapServerStoppedOnlyTheTemporaryDomainWaits() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage toMaildrop = TestMessage.text(SENDER, PrivatePostfix.MAILDROP);
        TestMessage queuedLocally = TestMessage.text(SENDER, address);
        instance.server.close();
        try {
            try (SmtpClient smtp = connect()) {
                assertEquals(250, smtp.mailFrom(SENDER).code());
                SmtpClient.Reply reply = smtp.rcptTo(address);
                assertEquals(4, reply.code() / 100, "a server that is down must not reject for good: " + reply);
            }
            // Another domain's mail flows: the socketmap is not asked about it (main.cf.example's filter and
            // fixed transport table).
            try (SmtpClient smtp = connect()) {
                smtp.send(SENDER, PrivatePostfix.MAILDROP, toMaildrop);
            }
            instance.maildir.await(toMaildrop.marker(), DELIVERY, instance.postfix);
            // Mail for the temporary domain already in the queue is routed without the server, and tempmail
            // deliver judges the address itself.
            instance.postfix.submitLocally(SENDER, address, queuedLocally);
            assertDeliveredFor(instance.maildir.await(queuedLocally.marker(), DELIVERY, instance.postfix), address);
        } finally {
            instance.server.start();
        }
        try (SmtpClient smtp = connect()) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            assertEquals(250, smtp.rcptTo(address).code(), "accepted at the first try once the server is back");
        }
        assertEquals(1, instance.maildir.find(queuedLocally.marker()).size(), "arrived exactly once");
        assertFalse(instance.postfix.log().contains("address resolver failure"), "the resolver never failed");
    }

    @Test
    @Order(6)
    void aCapabilityAddressArrivesWithItsNoteUntilItIsDisabled() throws Exception {
        String address = instance.tempmail("cap", "create", "--note", "shop.example, order 1234").strip();
        assertTrue(address.endsWith("@temp.example.org"), address);

        Maildir.Delivered delivered = sendAndAwait(SENDER, address);
        assertDeliveredFor(delivered, address);
        assertEquals(List.of("shop.example, order 1234"), delivered.values("X-Tempmail-Note"));

        instance.tempmail("cap", "disable", address);
        try (SmtpClient smtp = connect()) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            SmtpClient.Reply reply = smtp.rcptTo(address);
            assertEquals(550, reply.code(), "disabled: " + reply);
            assertTrue(reply.text().startsWith("5.1.1 "), reply.toString());
        }
    }

    @Test
    @Order(7)
    void whenSendmailFailsTheMessageStaysQueuedAndArrivesOnceAfterTheFix() throws Exception {
        Path calls = instance.postfix.dir().resolve("failing-sendmail.calls");
        Path failingSendmail = failingSendmail(calls);
        String address = instance.addressOf(instance.today());
        TestMessage message = TestMessage.text(SENDER, address);
        String queueId;
        instance.useSendmail(failingSendmail);
        try {
            try (SmtpClient smtp = connect()) {
                queueId = smtp.send(SENDER, address, message);
            }
            Matcher deferred = instance.postfix.awaitLog(Pattern.compile(Pattern.quote(queueId)
                    + ": to=<" + Pattern.quote(address) + ">, relay=tempmail, .*dsn=(\\d)\\.\\d+\\.\\d+, status=(\\w+) "
                    + "\\((.*)\\)$", Pattern.MULTILINE), DELIVERY);
            assertEquals("deferred", deferred.group(2), deferred.group());
            assertEquals("4", deferred.group(1), deferred.group());
            // The reason (Postfix keeps the code apart) is what the sender's delay notice quotes: no path, not what
            // sendmail said.
            assertEquals("sendmail failed with status 1", deferred.group(3).strip(), deferred.group());
            assertTrue(instance.server.log().contains(failingSendmail + " failed with status 1: sendmail: fatal: "
                    + "injected failure for the test"), "the detail is in the server's log: " + instance.server.log());
            assertTrue(instance.postfix.queueListing().contains(queueId), "still in the queue");
            assertTrue(instance.maildir.find(message.marker()).isEmpty(), "not delivered while sendmail fails");
            String call = Files.readString(calls);
            assertTrue(call.contains("-G -i -f " + SENDER + " -- " + PrivatePostfix.MAILDROP),
                    "deliver called SENDMAIL as documented: " + call);
        } finally {
            instance.restoreConfig();
        }

        instance.postfix.flush();

        Maildir.Delivered delivered = instance.maildir.await(message.marker(), DELIVERY, instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest());
        assertDeliveredFor(delivered, address);
        awaitEmptyQueue();
        assertEquals(1, instance.maildir.find(message.marker()).size(), "arrived exactly once");
        assertFalse(Pattern.compile(Pattern.quote(queueId) + ": .*status=bounced").matcher(instance.postfix.log())
                .find(), "never bounced");
    }

    @Test
    @Order(8)
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void a25MegabyteMessageWithAnAttachmentArrivesWithItsBodyUnchanged() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage message = TestMessage.withAttachment(SENDER, address, 25, 20261122L);
        try (SmtpClient smtp = connect()) {
            smtp.send(SENDER, address, message);
        }

        Maildir.Delivered delivered = instance.maildir.await(message.marker(), Duration.ofMinutes(3),
                instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest(), "body changed on the way");
        assertDeliveredFor(delivered, address);
        assertTrue(Files.size(delivered.file()) > 25_000_000, "size " + Files.size(delivered.file()));
    }

    @Test
    @Order(9)
    void anExtensionArrivesWithItsFieldAndAnExpiredBaseWithOneIsRejectedAtRcptTo() throws Exception {
        String today = instance.addressOf(instance.today());
        String localPart = today.substring(0, today.indexOf('@'));
        // The quoted one reaches deliver quoted (pipe's q flag): "1a2b3c4d+my shop"@temp.example.org.
        Map<String, String> extensions = Map.of(
                localPart.toUpperCase(Locale.ROOT) + "+shop@temp.example.org", "shop",
                "\"" + localPart + "+my shop\"@temp.example.org", "my shop");
        for (Map.Entry<String, String> recipient : extensions.entrySet()) {
            Maildir.Delivered delivered = sendAndAwait(SENDER, recipient.getKey());
            assertDeliveredFor(delivered, recipient.getKey());
            assertEquals(List.of(recipient.getValue()), delivered.values("X-Tempmail-Extension"),
                    String.join("\n", delivered.header()));
        }
        String expired = instance.addressOf(instance.today().minusDays(2)).replace("@", "+shop@");
        try (SmtpClient smtp = connect()) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            SmtpClient.Reply reply = smtp.rcptTo(expired);
            assertEquals(550, reply.code(), expired + ": " + reply);
            assertTrue(reply.text().startsWith("5.1.1 <" + expired + ">"), reply.toString());
        }
    }

    /**
     * Issue 9, item 6: LENGTH edited while Postfix and the server run, back and forth. After each edit the server
     * says it reloaded, mail to the new address is accepted and delivered (handed over to the server, which
     * judges it by the same file), the address of the old LENGTH gets 550 at RCPT TO, and nothing bounces.
     */
    @Test
    @Order(10)
    void anEditOfLengthIsFollowedAtRcptToAndAtDeliveryWithoutARestart() throws Exception {
        List<String> sentTo = new ArrayList<>();
        try {
            int before = 8;
            for (int length : new int[] {10, 8, 12, 8}) {
                int reloads = reloads();
                instance.editConfig("LENGTH", Integer.toString(length));
                awaitReloads(reloads + 1);
                String address = instance.addressOf(instance.today());
                assertEquals(length, address.indexOf('@'), address);
                Maildir.Delivered delivered = sendAndAwait(SENDER, address);
                assertDeliveredFor(delivered, address);
                sentTo.add(address);
                String old = addressWithLength(before);
                try (SmtpClient smtp = connect()) {
                    assertEquals(250, smtp.mailFrom(SENDER).code());
                    SmtpClient.Reply reply = smtp.rcptTo(old);
                    assertEquals(550, reply.code(), old + " after LENGTH=" + length + ": " + reply);
                }
                before = length;
            }
        } finally {
            int reloads = reloads();
            instance.restoreConfig();
            awaitReloads(reloads + 1);
        }
        awaitEmptyQueue();
        String log = instance.postfix.log();
        for (String address : sentTo) {
            assertFalse(Pattern.compile("to=<" + Pattern.quote(address) + ">.*status=bounced").matcher(log).find(),
                    address + " bounced");
        }
        for (String address : sentTo) {
            String handedOver = "(--sender=" + SENDER + " --recipient=" + address + " --queue-id=";
            assertTrue(instance.server.log().lines().anyMatch(l -> l.contains(handedOver) && l.endsWith("exit 0")),
                    "handed over to the server, not declined: " + instance.server.log());
        }
    }

    /**
     * Issue 10, items 1 and 2: a message signed with DKIM (dkimpy) on From, To, Subject, Date and Message-ID,
     * carrying a sender's X-Tempmail-To naming its recipient and an X-Tempmail-Note, passes smtpd, the pipe, the
     * server's hand-off, sendmail and virtual(8) with the shipped settings: it arrives (no loop bounce), the
     * signature verifies in the Maildir, and the forged fields are there only renamed.
     */
    @Test
    @Order(11)
    void aSignedMessageWithForgedFieldsOfOursArrivesVerifyingWithThemRenamed() throws Exception {
        String address = instance.addressOf(instance.today());
        String marker = UUID.randomUUID().toString();
        String text = "X-Tempmail-To: " + address + "\nX-Tempmail-Note: from your bank, please log in\n"
                + "From: Alice <" + SENDER + ">\nTo: <" + address + ">\nSubject: signed " + marker + "\n"
                + "Date: Sun, 22 Nov 2026 12:00:00 +0000\nMessage-ID: <" + marker + "@e2e.test>\n"
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
                + TestMessage.TRICKY_BODY;
        try (DkimTool dkim = DkimTool.start()) {
            byte[] signed = dkim.sign(text.getBytes(StandardCharsets.UTF_8), "relaxed/relaxed", "from", "to",
                    "subject", "date", "message-id");
            assertEquals(List.of("pass"), dkim.verify(signed));
            try (SmtpClient smtp = connect()) {
                smtp.send(SENDER, address, out -> out.write(signed));
            }

            Maildir.Delivered delivered = instance.maildir.await(marker, DELIVERY, instance.postfix);

            assertEquals(List.of("pass"), dkim.verify(Files.readAllBytes(delivered.file())),
                    String.join("\n", delivered.header()));
            assertDeliveredFor(delivered, address);
            assertEquals(List.of("signed " + marker), delivered.values("Subject"), "a signed Subject is not tagged");
            assertEquals(List.of(), delivered.values("X-Tempmail-Note"));
            assertEquals(List.of("from your bank, please log in"), delivered.values("X-Incoming-Tempmail-Note"));
            assertEquals(List.of(address), delivered.values("X-Incoming-Tempmail-To"));
        }
    }

    /**
     * Issue 10, items 2 and 5: with deliver's own X-Tempmail-To check gone, a real loop (the MAILDROP forwards to
     * the temporary address) is still stopped, by Postfix: pipe's D flag finds the Delivered-To it added on the
     * first pass and bounces 5.4.6 before deliver runs again. The copy in the mailbox, which local delivery
     * stamped with Delivered-To and X-Original-To, replays as that loop, not as an unknown address.
     */
    @Test
    @Order(12)
    void aRealLoopIsBouncedByPostfixAndAMailboxCopyReplaysAsALoop() throws Exception {
        String address = instance.addressOf(instance.today());
        Maildir.Delivered copy = sendAndAwait(SENDER, address);
        TempmailInstance.Run replay = instance.run("replay", copy.file().toString());
        assertEquals(65, replay.status(), replay.toString());
        assertTrue(replay.err().contains("(exit 65, 5.4.6): mail loop: the message was already delivered to <"
                + PrivatePostfix.MAILDROP + "> for <" + address + "> (X-Tempmail-To)"), replay.err());

        String forwarder = "loop@" + PrivatePostfix.MAILDROP_DOMAIN;
        TestMessage message = TestMessage.text(SENDER, address);
        int reloads = reloads();
        instance.editConfig("MAILDROP", forwarder);
        try {
            awaitReloads(reloads + 1);
            List<String> mainCf = new ArrayList<>(ExampleFiles.relaySetup());
            mainCf.add("virtual_alias_maps = inline:{ " + forwarder + "=" + address + " }");
            instance.postfix.reconfigure(mainCf);
            String queueId;
            try (SmtpClient smtp = connect()) {
                queueId = smtp.send(SENDER, address, message);
            }
            Matcher bounced = instance.postfix.awaitLog(Pattern.compile("(\\w+): to=<" + Pattern.quote(address)
                    + ">, orig_to=<" + Pattern.quote(forwarder) + ">, relay=tempmail, .*dsn=5\\.4\\.6, "
                    + "status=bounced \\(mail forwarding loop for " + Pattern.quote(address) + "\\)",
                    Pattern.CASE_INSENSITIVE), DELIVERY);
            assertTrue(instance.maildir.find(message.marker()).isEmpty(), "a loop delivers nothing");
            awaitServerLog("--queue-id=" + queueId + "): exit 0");
            assertFalse(instance.server.log().contains("--queue-id=" + bounced.group(1) + ")"),
                    "the second pass reached deliver: " + instance.server.log());
        } finally {
            reloads = reloads();
            instance.restoreConfig();
            awaitReloads(reloads + 1);
            instance.use(TempmailInstance.Setup.RELAY);
        }
    }

    private static String addressWithLength(int length) throws Exception {
        AddressSettings now = instance.loadedConfig().addresses();
        return DatedAddressResolver.from(new AddressSettings(now.scheme(), now.defaultOwner(), length, now.domain(),
                now.validDays(), now.zone(), now.recipientDelimiters())).addressOf(instance.today());
    }

    private static int reloads() throws Exception {
        return instance.server.log().split("tempmail serve: reloaded ", -1).length - 1;
    }

    private static void awaitReloads(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (reloads() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server did not reload:\n" + instance.server.log());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitServerLog(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!instance.server.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never logged " + text + ":\n" + instance.server.log());
            }
            Thread.sleep(100);
        }
    }

    private static void awaitEmptyQueue() throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!instance.postfix.queueIsEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("queue not empty: " + instance.postfix.queueListing());
            }
            Thread.sleep(100);
        }
    }

    /** A sendmail that records its arguments, reads the message and fails, as one that cannot queue would. */
    private static Path failingSendmail(Path calls) throws Exception {
        Path script = instance.postfix.dir().resolve("failing-sendmail");
        Files.writeString(script, """
                #!/bin/sh
                echo "$*" >> '%s'
                cat > /dev/null
                echo "sendmail: fatal: injected failure for the test" >&2
                exit 1
                """.formatted(calls));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(calls, "");
        Files.setPosixFilePermissions(calls, PosixFilePermissions.fromString("rw-rw-rw-"));
        return script;
    }

    /** The address with every other letter in upper case, the domain included. */
    static String mixedCase(String address) {
        StringBuilder mixed = new StringBuilder();
        boolean upper = true;
        for (char c : address.toCharArray()) {
            if (Character.isLetter(c)) {
                mixed.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
                upper = !upper;
            } else {
                mixed.append(c);
            }
        }
        String result = mixed.toString();
        if (result.equals(address.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("no letters to change in " + address);
        }
        return result;
    }
}
