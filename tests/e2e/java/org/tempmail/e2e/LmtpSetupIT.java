package org.tempmail.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Setup 1 with delivery by LMTP to tempmail serve (LMTP_LISTEN, TRANSPORT=lmtp:unix:tempmail/lmtp and the main.cf
 * lines postfix-config prints for them), in a private Postfix instance: the relay setup's scenarios, through
 * Postfix's own lmtp(8) client instead of the pipe.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class LmtpSetupIT {
    private static final String SENDER = "sender@example.net";
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    /** How Postfix's lmtp(8) names the server in its log lines. */
    private static final String RELAY = "relay=mx.e2e.test[tempmail/lmtp]";

    private static TempmailInstance instance;

    @BeforeAll
    static void startInstance() throws Exception {
        TempmailInstance.requireRealPostfix();
        instance = TempmailInstance.start("lmtp", TempmailInstance.Setup.LMTP);
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

    private static Maildir.Delivered sendAndAwait(String sender, String recipient) throws Exception {
        TestMessage message = TestMessage.text(sender, recipient);
        String queueId;
        try (SmtpClient smtp = connect()) {
            queueId = smtp.send(sender, recipient, message);
        }
        Maildir.Delivered delivered = instance.maildir.await(message.marker(), DELIVERY, instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest(), "body changed on the way: " + delivered.file());
        instance.postfix.awaitLog(Pattern.compile(Pattern.quote(queueId) + ": to=<" + Pattern.quote(recipient)
                + ">, " + Pattern.quote(RELAY) + ".*status=sent"), Duration.ofSeconds(10));
        return delivered;
    }

    private static void assertDeliveredFor(Maildir.Delivered delivered, String recipient, String sender) {
        List<String> tempmailTo = delivered.values("X-Tempmail-To");
        assertEquals(1, tempmailTo.size(), "one X-Tempmail-To in " + delivered.header());
        assertTrue(tempmailTo.get(0).equalsIgnoreCase(recipient), "X-Tempmail-To: " + tempmailTo.get(0));
        assertEquals(List.of("<" + sender + ">"), delivered.values("Return-Path"),
                "resubmitted with the original sender");
    }

    @Test
    @Order(1)
    void todaysYesterdaysAndAMixedCaseAddressArriveThroughLmtp() throws Exception {
        LocalDate today = instance.today();
        for (String address : List.of(instance.addressOf(today), instance.addressOf(today.minusDays(1)),
                RelaySetupIT.mixedCase(instance.addressOf(today)))) {
            Maildir.Delivered delivered = sendAndAwait(SENDER, address);
            assertDeliveredFor(delivered, address, SENDER);
            assertEquals(1, delivered.values("X-Tempmail-Expires").size(), "one X-Tempmail-Expires");
            assertTrue(instance.server.log().contains("to=<" + address + ">: 2.0.0 "), instance.server.log());
        }
        assertFalse(instance.server.log().contains("deliveries: client"), "nothing went through the pipe");
    }

    @Test
    @Order(2)
    void anExpiredAddressGets550AtRcptTo() throws Exception {
        String expired = instance.addressOf(instance.today().minusDays(2));
        try (SmtpClient smtp = connect()) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            SmtpClient.Reply reply = smtp.rcptTo(expired);
            assertEquals(550, reply.code(), expired + ": " + reply);
            assertTrue(reply.text().startsWith("5.1.1 <" + expired + ">"), reply.toString());
        }
    }

    @Test
    @Order(3)
    void theNullSenderWorks() throws Exception {
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
    @Order(4)
    void withTheServerStoppedMailIsDeferredThenDeliveredExactlyOnce() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage queued = TestMessage.text(SENDER, address);
        instance.server.close();
        try {
            // Submitted locally: no RCPT TO check, so it reaches the queue and lmtp(8) finds no server.
            instance.postfix.submitLocally(SENDER, address, queued);
            Matcher deferred = instance.postfix.awaitLog(Pattern.compile(": to=<" + Pattern.quote(address)
                    + ">, relay=none, .*dsn=(4\\.\\d+\\.\\d+), status=deferred"), DELIVERY);
            assertTrue(instance.maildir.find(queued.marker()).isEmpty(), deferred.group());
        } finally {
            instance.server.start();
        }
        instance.postfix.flush();
        instance.maildir.await(queued.marker(), DELIVERY, instance.postfix);
        awaitEmptyQueue();
        assertEquals(1, instance.maildir.find(queued.marker()).size(), "arrived exactly once");
    }

    @Test
    @Order(5)
    void whenSendmailFailsTheMessageIsDeferredThenArrivesOnceAfterTheFix() throws Exception {
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
            Matcher deferred = instance.postfix.awaitLog(Pattern.compile(Pattern.quote(queueId) + ": to=<"
                    + Pattern.quote(address) + ">, " + Pattern.quote(RELAY)
                    + ".*dsn=(\\d)\\.\\d+\\.\\d+, status=(\\w+) \\((.*)\\)"), DELIVERY);
            assertEquals("deferred", deferred.group(2), deferred.group());
            assertEquals("4", deferred.group(1), deferred.group());
            assertTrue(deferred.group(3).contains("451 4.3.0"), deferred.group());
            assertTrue(instance.postfix.queueListing().contains(queueId), "still in the queue");
            assertTrue(Files.readString(calls).contains("-G -i -f " + SENDER + " -- " + PrivatePostfix.MAILDROP));
        } finally {
            instance.restoreConfig();
        }
        instance.postfix.flush();
        Maildir.Delivered delivered = instance.maildir.await(message.marker(), DELIVERY, instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest());
        awaitEmptyQueue();
        assertEquals(1, instance.maildir.find(message.marker()).size(), "arrived exactly once");
        assertFalse(Pattern.compile(Pattern.quote(queueId) + ": .*status=bounced").matcher(instance.postfix.log())
                .find(), "never bounced");
    }

    @Test
    @Order(6)
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void a25MegabyteMessageArrivesWithAnIdenticalBody() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage message = TestMessage.withAttachment(SENDER, address, 25, 20261202L);
        try (SmtpClient smtp = connect()) {
            smtp.send(SENDER, address, message);
        }
        Maildir.Delivered delivered = instance.maildir.await(message.marker(), Duration.ofMinutes(3),
                instance.postfix);
        assertEquals(message.bodyDigest(), delivered.bodyDigest(), "body changed on the way");
        assertTrue(Files.size(delivered.file()) > 25_000_000, "size " + Files.size(delivered.file()));
    }

    @Test
    @Order(7)
    void aCapabilityAddressArrivesWithItsNote() throws Exception {
        String address = instance.tempmail("cap", "create", "--note", "shop.example, order 1234").strip();
        Maildir.Delivered delivered = sendAndAwait(SENDER, address);
        assertDeliveredFor(delivered, address, SENDER);
        assertEquals(List.of("shop.example, order 1234"), delivered.values("X-Tempmail-Note"));
        // Counted once, by the queue id its Received field names.
        String json = instance.tempmail("cap", "list", "--format", "json");
        assertTrue(json.contains("\"first_sender\": \"" + SENDER + "\"") && json.contains("\"messages\": 1}"), json);
    }

    @Test
    @Order(8)
    void resubmittedOverSmtpToTheReinjectionListenerItArrivesAndWithTheListenerAwayItWaits() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage waiting = TestMessage.text(SENDER, address);
        try {
            useReinjection(instance.reinjectPort);
            assertDeliveredFor(sendAndAwait(SENDER, address), address, SENDER);
            // A loopback port nobody listens on: the resubmission fails.
            int closed;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                closed = probe.getLocalPort();
            }
            useReinjection(closed);
            String queueId;
            try (SmtpClient smtp = connect()) {
                queueId = smtp.send(SENDER, address, waiting);
            }
            Matcher deferred = instance.postfix.awaitLog(Pattern.compile(Pattern.quote(queueId) + ": to=<"
                    + Pattern.quote(address) + ">, " + Pattern.quote(RELAY)
                    + ".*dsn=(\\d)\\.\\d+\\.\\d+, status=deferred \\((.*)\\)"), DELIVERY);
            assertEquals("4", deferred.group(1), deferred.group());
            assertTrue(deferred.group(2).contains("resubmission over SMTP failed, nothing was queued"),
                    deferred.group());
        } finally {
            instance.restoreConfig();
            instance.server.close();
            instance.server.start();
        }
        instance.postfix.flush();
        instance.maildir.await(waiting.marker(), DELIVERY, instance.postfix);
        awaitEmptyQueue();
        assertEquals(1, instance.maildir.find(waiting.marker()).size(), "arrived exactly once");
    }

    /** LMTP_REINJECT to a port of this host; a restart, since the LMTP_ keys need one. */
    private static void useReinjection(int port) throws Exception {
        instance.editConfig("LMTP_REINJECT", "inet:127.0.0.1:" + port);
        instance.server.close();
        instance.server.start();
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
}
