package org.tempmail.lmtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.delivery.DeliveryOutcome;

class LmtpSessionTest {
    private static final String LHLO_REPLY = "250-mx\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
            + "250-SMTPUTF8\r\n250 SIZE 1000\r\n";

    @TempDir
    Path dir;

    private final List<String> delivered = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private int filesMade;
    private boolean filesFail;

    private static String read(ReceivedMessage message) throws IOException {
        try (var in = message.open()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Delivers "ok…" recipients, refuses "gone…" as not valid, defers the rest. */
    private final LmtpDeliveries deliveries = new LmtpDeliveries() {
        @Override
        public void messageStarts() {
        }

        @Override
        public Path newMessageFile() throws IOException {
            filesMade++;
            if (filesFail) {
                throw new IOException("No space left on device");
            }
            return Files.createTempFile(dir, "msg", ".msg");
        }

        @Override
        public DeliveryOutcome deliver(String sender, String recipient, ReceivedMessage message) {
            try {
                delivered.add(sender + "|" + recipient + "|" + read(message));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (recipient.startsWith("ok")) {
                return new DeliveryOutcome(0, "2.0.0", "<" + recipient + "> resubmitted");
            }
            if (recipient.startsWith("gone")) {
                return new DeliveryOutcome(DeliveryOutcome.NO_USER, "5.1.1", "<" + recipient + ">: expired");
            }
            if (recipient.startsWith("loop")) {
                return new DeliveryOutcome(DeliveryOutcome.DATA_ERROR, "5.4.6", "mail loop");
            }
            return DeliveryOutcome.deferred("4.3.0", "sendmail failed with status 1");
        }
    };

    private String converse(String client, long maxSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LmtpSession(new ByteArrayInputStream(client.getBytes(StandardCharsets.ISO_8859_1)), out, "mx",
                new SessionLimits(maxSize, 3, Duration.ofSeconds(5)), deliveries, new Semaphore(1), log::add, "s1")
                .run();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lhloOffersItsExtensionsAndEachRecipientGetsItsOwnReplyAfterData() throws IOException {
        String replies = converse("LHLO postfix\r\nMAIL FROM:<s@example.net> SIZE=40 BODY=8BITMIME SMTPUTF8\r\n"
                + "RCPT TO:<ok1@t>\r\nRCPT TO:<gone@t>\r\nRCPT TO:<busy@t>\r\nRCPT TO:<loop@t>\r\n"
                + "DATA\r\nSubject: s\r\n\r\n..dot\r\n.\r\nQUIT\r\n", 1000);
        assertEquals("220 mx LMTP tempmail\r\n"
                + LHLO_REPLY
                + "250 2.1.0 sender ok\r\n250 2.1.5 recipient ok\r\n250 2.1.5 recipient ok\r\n"
                + "250 2.1.5 recipient ok\r\n452 4.5.3 too many recipients, the rest later\r\n"
                + "354 end data with <CR><LF>.<CR><LF>\r\n"
                + "250 2.0.0 <ok1@t> resubmitted\r\n550 5.1.1 <gone@t>: expired\r\n"
                + "451 4.3.0 sendmail failed with status 1\r\n"
                + "221 2.0.0 mx closing connection\r\n", replies);
        assertEquals(List.of("s@example.net|ok1@t|Subject: s\n\n.dot\n", "s@example.net|gone@t|Subject: s\n\n.dot\n",
                "s@example.net|busy@t|Subject: s\n\n.dot\n"), delivered);
        assertEquals(0, filesMade, "a small message is kept in memory");
    }

    @Test
    void aMessageTooLargeForMemoryIsKeptInAFileReadWholeForEachRecipientAndRemoved() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int line = 0; body.length() <= 2 * LmtpSession.IN_MEMORY; line++) {
            body.append("line ").append(line).append(" \u00e9\u00e8 ").append("y".repeat(line % 97)).append('\n');
        }
        String message = "Subject: big\n\n" + body;
        String replies = converse("LHLO p\r\nMAIL FROM:<s@x>\r\nRCPT TO:<ok1@t>\r\nRCPT TO:<ok2@t>\r\nDATA\r\n"
                + message.replace("\n", "\r\n") + ".\r\nQUIT\r\n", 10_000_000);
        assertTrue(replies.contains("250 2.0.0 <ok1@t> resubmitted\r\n250 2.0.0 <ok2@t> resubmitted\r\n"), replies);
        assertEquals(List.of("s@x|ok1@t|" + message, "s@x|ok2@t|" + message), delivered);
        assertEquals(1, filesMade);
        assertEquals(0, Files.list(dir).count(), "the file is removed after the last recipient");
    }

    @Test
    void aLargeMessageWithNowhereToBeKeptIsDeferredForEveryRecipientAndTheSessionGoesOn() throws IOException {
        filesFail = true;
        String replies = converse("LHLO p\r\nMAIL FROM:<s@x>\r\nRCPT TO:<ok1@t>\r\nRCPT TO:<ok2@t>\r\nDATA\r\n"
                + ("z".repeat(999) + "\r\n").repeat(LmtpSession.IN_MEMORY / 1000 + 1) + ".\r\nNOOP\r\n", 10_000_000);
        assertTrue(replies.endsWith("451 4.3.0 cannot keep the message now, try again later\r\n".repeat(2)
                + "250 2.0.0 ok\r\n"), replies);
        assertEquals(List.of(), delivered);
        assertTrue(log.stream().anyMatch(l -> l.contains("cannot keep a message: No space left on device")),
                log.toString());
    }

    @Test
    void anythingButAnInvalidAddressIsTemporary() throws IOException {
        String replies = converse("LHLO p\r\nMAIL FROM:<>\r\nRCPT TO:<loop@t>\r\nDATA\r\nx\r\n.\r\n", 1000);
        assertTrue(replies.endsWith("451 4.4.6 mail loop\r\n"), replies);
        assertEquals("|loop@t|x\n", delivered.get(0), "the null sender is passed on as empty");
    }

    @Test
    void aMessageCutOffInTheMiddleOfDataIsDeliveredToNoOneAndNotKept() throws IOException {
        assertThrows(EOFException.class, () -> converse("LHLO p\r\nMAIL FROM:<s@x>\r\nRCPT TO:<ok@t>\r\n"
                + "DATA\r\nSubject: s\r\n\r\nhalf a bo", 1000));
        assertEquals(List.of(), delivered);
        assertEquals(0, Files.list(dir).count());
    }

    @Test
    void tooLargeIsRefusedAtMailWhenDeclaredAndAfterDataOtherwiseForEveryRecipient() throws IOException {
        String declared = converse("LHLO p\r\nMAIL FROM:<s@x> SIZE=5000\r\n", 1024);
        assertTrue(declared.endsWith("552 5.3.4 message too large (at most 1024 bytes)\r\n"), declared);
        String sent = converse("LHLO p\r\nMAIL FROM:<s@x>\r\nRCPT TO:<ok1@t>\r\nRCPT TO:<ok2@t>\r\nDATA\r\n"
                + "x".repeat(3000) + "\r\n.\r\nNOOP\r\n", 1024);
        assertTrue(sent.endsWith("354 end data with <CR><LF>.<CR><LF>\r\n"
                + "552 5.3.4 message too large (at most 1024 bytes)\r\n"
                + "552 5.3.4 message too large (at most 1024 bytes)\r\n250 2.0.0 ok\r\n"), sent);
        assertEquals(List.of(), delivered);
    }

    @Test
    void commandsOutOfOrderAndUnknownOnesGetErrorsAndTheSessionGoesOn() throws IOException {
        String replies = converse("MAIL FROM:<s@x>\r\nEHLO p\r\nLHLO p\r\nRCPT TO:<ok@t>\r\nDATA\r\n"
                + "MAIL FROM:<s@x>\r\nMAIL FROM:<s@x>\r\nRCPT TO:ok@t\r\nRCPT TO:<ok@t> NOTIFY=NEVER\r\nVRFY x\r\n"
                + "MAIL FROM:<a> AUTH=x\r\nRSET\r\nNOOP\r\n", 1000);
        assertEquals("220 mx LMTP tempmail\r\n503 5.5.1 say LHLO first\r\n"
                + "500 5.5.1 this is an LMTP server: say LHLO\r\n"
                + LHLO_REPLY
                + "503 5.5.1 say MAIL first\r\n503 5.5.1 say MAIL first\r\n250 2.1.0 sender ok\r\n"
                + "503 5.5.1 nested MAIL command\r\n501 5.5.4 syntax: RCPT TO:<address>\r\n"
                + "555 5.5.4 RCPT parameters not supported\r\n502 5.5.1 command not implemented\r\n"
                + "503 5.5.1 nested MAIL command\r\n250 2.0.0 ok\r\n250 2.0.0 ok\r\n", replies);
    }

    @Test
    void aClientThatKeepsMakingErrorsIsDisconnected() throws IOException {
        String replies = converse("BOGUS\r\n".repeat(100), 1000);
        assertTrue(replies.endsWith("421 4.7.0 mx too many errors, closing connection\r\n"), replies);
        assertEquals(LmtpSession.MAX_ERRORS - 1, replies.split("502 5.5.1").length - 1);
    }

    @Test
    void aHugeCommandLineIsRefusedWithoutBeingHeld() throws IOException {
        String replies = converse("LHLO " + "x".repeat(10_000_000) + "\r\nNOOP\r\n", 1000);
        assertTrue(replies.endsWith("500 5.5.2 line too long\r\n250 2.0.0 ok\r\n"), replies);
    }
}
