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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SMTP resubmission against a scripted listener: what it sends, and that only a final 250 counts. */
class SmtpSubmitterTest {
    /** Answers like smtpd, with {@code endOfData} after the dot; returns everything the client sent. */
    private static CompletableFuture<String> listener(ServerSocket server, String endOfData) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket client = server.accept()) {
                InputStream in = client.getInputStream();
                OutputStream out = client.getOutputStream();
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                out.write("220 mx ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                String[] replies = {"250-mx\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n", "250 2.1.0 Ok\r\n",
                    "250 2.1.5 Ok\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n"};
                for (String reply : replies) {
                    readLine(in, seen);
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                }
                while (!seen.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n.\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return seen.toString(StandardCharsets.ISO_8859_1) + "[closed]";
                    }
                    seen.write(b);
                }
                out.write((endOfData + "\r\n").getBytes(StandardCharsets.US_ASCII));
                readLine(in, seen);
                out.write("221 2.0.0 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                return seen.toString(StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                return "[" + e + "]";
            }
        });
    }

    private static void readLine(InputStream in, ByteArrayOutputStream seen) throws IOException {
        int b;
        while ((b = in.read()) >= 0) {
            seen.write(b);
            if (b == '\n') {
                return;
            }
        }
    }

    @Test
    void theMessageGoesOutWithCrlfAndDotsDoubledAfterTheEnvelope() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = listener(server, "250 2.0.0 Ok: queued as 4Abc");
            new SmtpSubmitter("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(10)).submit("a@example.net",
                    "owner@example.org", out -> out.write("Subject: x\n\n.dot\nbare\rcr\nend\r\nlast"
                            .getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("EHLO localhost\r\nMAIL FROM:<a@example.net> BODY=8BITMIME\r\n"
                    + "RCPT TO:<owner@example.org>\r\nDATA\r\n"
                    + "Subject: x\r\n\r\n..dot\r\nbare\rcr\r\nend\r\r\nlast\r\n.\r\nQUIT\r\n",
                    seen.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void anythingButA250AfterTheDataIsAFailureWithTheListenersWords() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = listener(server, "451 4.3.0 Error: queue file write error");
            SubmissionException e = assertThrows(SubmissionException.class, () -> new SmtpSubmitter("127.0.0.1",
                    server.getLocalPort(), Duration.ofSeconds(10)).submit("", "o@example.org",
                            out -> out.write("x\n".getBytes(StandardCharsets.US_ASCII))));
            assertEquals("the reinjection listener refused the message (key LMTP_REINJECT)", e.getMessage());
            assertTrue(e.detail().contains("451 4.3.0 Error: queue file write error"), e.detail());
            seen.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMessageThatCannotBeWrittenWholeLeavesTheDataUnfinished() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = listener(server, "250 2.0.0 Ok");
            assertThrows(SubmissionException.class, () -> new SmtpSubmitter("127.0.0.1", server.getLocalPort(),
                    Duration.ofSeconds(10)).submit("a@b", "o@example.org", out -> {
                        out.write("Subject: cut\n\nhalf".getBytes(StandardCharsets.US_ASCII));
                        throw new IOException("the message ended too soon");
                    }));
            String sent = seen.get(10, TimeUnit.SECONDS);
            assertTrue(sent.endsWith("[closed]") && !sent.contains("\r\n.\r\n"),
                    "no end mark, so smtpd queues nothing: " + sent);
        }
    }
}
