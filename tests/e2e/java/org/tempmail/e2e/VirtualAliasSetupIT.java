package org.tempmail.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
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
}
