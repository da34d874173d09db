package org.tempmail.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The SMTP resubmission against a scripted listener: what it sends, that only a final 250 counts, and that a
 * kept connection carries the next message or, closed by the listener meanwhile, is replaced before any of it.
 */
class SmtpSubmitterTest {
    private static final MessageWriter SHORT =
            out -> out.write("Subject: s\n\nbody\n".getBytes(StandardCharsets.US_ASCII));

    /**
     * Answers like smtpd, {@code endOfData} after each dot; after {@code transactionsPerConnection} transactions
     * it answers the next MAIL with 421 and closes, as smtpd does to a connection idle too long. Keeps what each
     * connection sent, in order.
     */
    private static final class Listener implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        final List<ByteArrayOutputStream> connections = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Listener(String endOfData, int transactionsPerConnection) throws IOException {
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept()) {
                        ByteArrayOutputStream seen = new ByteArrayOutputStream();
                        connections.add(seen);
                        serve(client.getInputStream(), client.getOutputStream(), seen, endOfData,
                                transactionsPerConnection);
                    } catch (IOException e) {
                        // The test closed the listener, or the client went away: next connection.
                    }
                }
            });
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        String sent(int connection) {
            return connections.get(connection).toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(10_000);
        }
    }

    private static void serve(InputStream in, OutputStream out, ByteArrayOutputStream seen, String endOfData,
            int transactionsPerConnection) throws IOException {
        reply(out, "220 mx ESMTP");
        int transactions = 0;
        while (true) {
            String command = readLine(in, seen);
            if (command == null) {
                return;
            }
            if (command.startsWith("EHLO")) {
                reply(out, "250-mx\r\n250-8BITMIME\r\n250 SIZE 1000000");
            } else if (command.startsWith("MAIL")) {
                if (transactions == transactionsPerConnection) {
                    reply(out, "421 4.4.2 mx Error: timeout exceeded");
                    return;
                }
                reply(out, "250 2.1.0 Ok");
            } else if (command.startsWith("RCPT")) {
                reply(out, "250 2.1.5 Ok");
            } else if (command.startsWith("DATA")) {
                reply(out, "354 End data with <CR><LF>.<CR><LF>");
                while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n.\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        seen.write("[closed]".getBytes(StandardCharsets.US_ASCII));
                        return;
                    }
                    seen.write(b);
                }
                transactions++;
                reply(out, endOfData);
            } else if (command.startsWith("QUIT")) {
                reply(out, "221 2.0.0 Bye");
                return;
            }
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in, ByteArrayOutputStream seen) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.write(b);
            line.append((char) b);
            if (b == '\n') {
                return line.toString();
            }
        }
        return null;
    }

    private static SmtpSubmitter submitter(Listener listener) {
        return new SmtpSubmitter("127.0.0.1", listener.port(), Duration.ofSeconds(10), 4);
    }

    @Test
    void theMessageGoesOutWithCrlfAndDotsDoubledAfterTheEnvelope() throws Exception {
        try (Listener listener = new Listener("250 2.0.0 Ok: queued as 4Abc", 10)) {
            try (SmtpSubmitter submitter = submitter(listener)) {
                submitter.submit("a@example.net", "owner@example.org", out -> out.write(
                        "Subject: x\n\n.dot\nbare\rcr\nend\r\nlast".getBytes(StandardCharsets.ISO_8859_1)));
            }
            assertEquals("EHLO localhost\r\nMAIL FROM:<a@example.net> BODY=8BITMIME\r\n"
                    + "RCPT TO:<owner@example.org>\r\nDATA\r\n"
                    + "Subject: x\r\n\r\n..dot\r\nbare\rcr\r\nend\r\r\nlast\r\n.\r\nQUIT\r\n", listener.sent(0));
        }
    }

    @Test
    void dotsAndLineEndsAreRightWhereverTheWritesAreCut() throws Exception {
        byte[] message = "..a\n.\nb.\r\n\n.c\n".getBytes(StandardCharsets.US_ASCII);
        try (Listener listener = new Listener("250 2.0.0 Ok", 10)) {
            try (SmtpSubmitter submitter = submitter(listener)) {
                submitter.submit("a@example.net", "o@example.org", out -> {
                    for (byte b : message) {
                        out.write(b);
                    }
                });
                submitter.submit("a@example.net", "o@example.org", out -> {
                    out.write(message, 0, 3);
                    out.write(message, 3, 6);
                    out.write(message, 9, message.length - 9);
                });
            }
            String data = "...a\r\n..\r\nb.\r\r\n\r\n..c\r\n.\r\n";
            String sent = listener.sent(0);
            assertEquals(2, sent.split(java.util.regex.Pattern.quote("DATA\r\n" + data), -1).length - 1, sent);
        }
    }

    @Test
    void messagesOneAfterAnotherShareOneConnection() throws Exception {
        try (Listener listener = new Listener("250 2.0.0 Ok", 10)) {
            try (SmtpSubmitter submitter = submitter(listener)) {
                for (int i = 0; i < 3; i++) {
                    submitter.submit("a@example.net", "o" + i + "@example.org", SHORT);
                }
            }
            assertEquals(1, listener.connections.size());
            String sent = listener.sent(0);
            assertEquals(1, sent.split("EHLO", -1).length - 1, sent);
            assertTrue(sent.contains("RCPT TO:<o2@example.org>") && sent.endsWith("QUIT\r\n"), sent);
        }
    }

    @Test
    void aConnectionTheListenerClosedIsReplacedBeforeAnyOfTheMessageIsSent() throws Exception {
        try (Listener listener = new Listener("250 2.0.0 Ok", 1)) {
            try (SmtpSubmitter submitter = submitter(listener)) {
                submitter.submit("a@example.net", "first@example.org", SHORT);
                submitter.submit("a@example.net", "second@example.org", SHORT);
            }
            assertEquals(2, listener.connections.size());
            assertTrue(listener.sent(0).endsWith("\r\n.\r\nMAIL FROM:<a@example.net> BODY=8BITMIME\r\n"),
                    "the first connection got MAIL, nothing more: " + listener.sent(0));
            assertTrue(listener.sent(1).contains("RCPT TO:<second@example.org>\r\nDATA\r\nSubject: s\r\n\r\nbody\r\n"
                    + ".\r\n"), listener.sent(1));
        }
    }

    @Test
    void anythingButA250AfterTheDataIsAFailureWithTheListenersWords() throws Exception {
        try (Listener listener = new Listener("451 4.3.0 Error: queue file write error", 10);
                SmtpSubmitter submitter = submitter(listener)) {
            SubmissionException e = assertThrows(SubmissionException.class,
                    () -> submitter.submit("", "o@example.org", SHORT));
            assertEquals("the reinjection listener refused the message (key LMTP_REINJECT)", e.getMessage());
            assertTrue(e.detail().contains("451 4.3.0 Error: queue file write error"), e.detail());
            // The failed connection is not kept: the next message gets a new one.
            assertThrows(SubmissionException.class, () -> submitter.submit("", "o@example.org", SHORT));
            assertEquals(2, listener.connections.size());
        }
    }

    @Test
    void aMessageThatCannotBeWrittenWholeLeavesTheDataUnfinished() throws Exception {
        try (Listener listener = new Listener("250 2.0.0 Ok", 10); SmtpSubmitter submitter = submitter(listener)) {
            submitter.submit("a@b", "before@example.org", SHORT);
            assertThrows(SubmissionException.class, () -> submitter.submit("a@b", "o@example.org", out -> {
                out.write("Subject: cut\n\nhalf".getBytes(StandardCharsets.US_ASCII));
                throw new IOException("the message ended too soon");
            }));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!listener.sent(0).endsWith("[closed]") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            String sent = listener.sent(0);
            String second = sent.substring(sent.lastIndexOf("DATA\r\n"));
            assertTrue(second.endsWith("[closed]") && !second.contains("\r\n.\r\n"),
                    "no end mark, so smtpd queues nothing: " + sent);
        }
    }
}
