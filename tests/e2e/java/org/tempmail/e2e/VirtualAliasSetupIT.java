package org.tempmail.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Setup 2 of main.cf.example, postfix-tempmail's way: virtual_alias_maps asks tempmail serve, no pipe. Valid
 * addresses arrive unchanged, the others are rejected at RCPT TO like in Setup 1.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class VirtualAliasSetupIT {
    private static final String SENDER = "sender@example.net";

    private static TempmailInstance instance;

    @BeforeAll
    static void startInstance() throws Exception {
        TempmailInstance.requireRealPostfix();
        instance = TempmailInstance.start("virtual-alias", TempmailInstance.Setup.VIRTUAL_ALIAS);
    }

    @AfterAll
    static void stopInstance() throws Exception {
        if (instance != null) {
            instance.close();
        }
    }

    @Test
    void todaysYesterdaysAndAMixedCaseAddressArriveUnchanged() throws Exception {
        LocalDate today = instance.today();
        List<String> addresses = List.of(instance.addressOf(today), instance.addressOf(today.minusDays(1)),
                RelaySetupIT.mixedCase(instance.addressOf(today)));
        for (String address : addresses) {
            TestMessage message = TestMessage.text(SENDER, address);
            try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
                smtp.send(SENDER, address, message);
            }
            Maildir.Delivered delivered = instance.maildir.await(message.marker(), Duration.ofSeconds(60),
                    instance.postfix);
            assertEquals(message.bodyDigest(), delivered.bodyDigest(), "body changed on the way");
            assertEquals(List.of(), delivered.values("X-Tempmail-To"), "no pipe, so no added header");
            assertEquals(List.of("<" + SENDER + ">"), delivered.values("Return-Path"));
            assertEquals(List.of("<" + address + ">"), delivered.values("To"));
        }
    }

    @Test
    void theDayBeforeYesterdaysAndARandomAddressAreRejectedAtRcptTo() throws Exception {
        String expired = instance.addressOf(instance.today().minusDays(2));
        String random = UUID.randomUUID().toString().substring(0, 8) + "@temp.example.org";
        try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            for (String address : List.of(expired, random)) {
                SmtpClient.Reply reply = smtp.rcptTo(address);
                assertEquals(550, reply.code(), address + ": " + reply);
                assertTrue(reply.text().startsWith("5.1.1 <" + address + ">"), address + ": " + reply);
            }
            assertEquals(554, smtp.command("DATA").code(), "no recipient accepted, no data sent");
        }
    }

    @Test
    void withTheServerStoppedOtherDomainsFlowAndTemporaryMailArrivesOnceAfterItReturns() throws Exception {
        String address = instance.addressOf(instance.today());
        TestMessage toMaildrop = TestMessage.text(SENDER, PrivatePostfix.MAILDROP);
        TestMessage queuedLocally = TestMessage.text(SENDER, address);
        long restarted;
        instance.server.close();
        try {
            try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
                assertEquals(250, smtp.mailFrom(SENDER).code());
                SmtpClient.Reply reply = smtp.rcptTo(address);
                assertEquals(4, reply.code() / 100, "a server that is down must not reject for good: " + reply);
            }
            // smtpd and cleanup ask virtual_alias_maps about every recipient; the filter keeps this one away.
            try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
                smtp.send(SENDER, PrivatePostfix.MAILDROP, toMaildrop);
            }
            instance.maildir.await(toMaildrop.marker(), Duration.ofSeconds(60), instance.postfix);
            // A local submission: cleanup cannot expand the address and leaves the message to pickup.
            instance.postfix.submitLocally(SENDER, address, queuedLocally);
            instance.postfix.awaitLog(Pattern.compile("virtual_alias_maps map lookup problem for "
                    + Pattern.quote(address) + " -- message not accepted, try again later"), Duration.ofSeconds(30));
            assertTrue(instance.maildir.find(queuedLocally.marker()).isEmpty(), "not delivered while down");
        } finally {
            instance.server.start();
            restarted = System.nanoTime();
        }
        try (SmtpClient smtp = new SmtpClient(instance.postfix.smtpPort())) {
            assertEquals(250, smtp.mailFrom(SENDER).code());
            assertEquals(250, smtp.rcptTo(address).code(), "accepted at the first try once the server is back");
        }
        // pickup retries the message by itself (it scans the maildrop every 60 s); no step by hand.
        Maildir.Delivered delivered = instance.maildir.await(queuedLocally.marker(), Duration.ofSeconds(90),
                instance.postfix);
        System.out.printf("VirtualAliasSetupIT: the message queued during the outage arrived %d ms after the "
                + "server was back%n", (System.nanoTime() - restarted) / 1_000_000);
        assertEquals(List.of("<" + address + ">"), delivered.values("To"));
        Thread.sleep(2000);
        assertEquals(1, instance.maildir.find(queuedLocally.marker()).size(), "arrived exactly once");
    }
}
