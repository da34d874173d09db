package org.tempmail.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resubmits over SMTP to a reinjection listener of this Postfix (a second smtpd on loopback, as in Postfix's
 * FILTER_README): the listener's 250 after the final dot means the message is queued. A connection that breaks
 * before that queues nothing, so no spool file is needed for completeness. One connection per message.
 */
public final class SmtpSubmitter implements Submitter {
    private static final int MAX_REPLY_LINE = 1000;

    private final String host;
    private final int port;
    private final Duration timeout;

    public SmtpSubmitter(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 30_000));
            socket.setSoTimeout((int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            expect(in, 220, "greeting");
            List<String> ehlo = command(in, out, "EHLO localhost", 250, "EHLO");
            boolean eightBit = ehlo.stream().anyMatch(l -> l.regionMatches(true, 4, "8BITMIME", 0, 8));
            boolean utf8 = !StandardCharsets.US_ASCII.newEncoder().canEncode(sender + recipient)
                    && ehlo.stream().anyMatch(l -> l.regionMatches(true, 4, "SMTPUTF8", 0, 8));
            command(in, out, "MAIL FROM:<" + sender + ">" + (eightBit ? " BODY=8BITMIME" : "")
                    + (utf8 ? " SMTPUTF8" : ""), 250, "MAIL");
            command(in, out, "RCPT TO:<" + recipient + ">", 250, "RCPT");
            command(in, out, "DATA", 354, "DATA");
            DataOutput data = new DataOutput(out);
            message.writeTo(data);
            data.finish();
            out.flush();
            expect(in, 250, "end of data");
            try {
                command(in, out, "QUIT", 221, "QUIT");
            } catch (IOException | SubmissionException e) {
                // Queued already: what happens to QUIT changes nothing.
            }
        } catch (IOException e) {
            throw new SubmissionException("resubmission over SMTP failed, nothing was queued (key LMTP_REINJECT)",
                    "resubmission to " + host + ":" + port + " failed: " + e);
        }
    }

    private static List<String> command(InputStream in, OutputStream out, String line, int wanted, String what)
            throws IOException, SubmissionException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return expect(in, wanted, what);
    }

    /** Reads one reply; a code other than {@code wanted} is a SubmissionException with the listener's words. */
    private static List<String> expect(InputStream in, int wanted, String what)
            throws IOException, SubmissionException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine(in);
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        String last = lines.get(lines.size() - 1);
        if (!last.startsWith(Integer.toString(wanted))) {
            // Its words may name hosts and addresses: for the administrator's log only.
            throw new SubmissionException("the reinjection listener refused the message (key LMTP_REINJECT)",
                    "the reinjection listener answered " + what + " with: " + last);
        }
        return lines;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.length() < MAX_REPLY_LINE && b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("the reinjection listener closed the connection");
        }
        return line.toString();
    }

    /**
     * Each LF becomes CRLF (a CR before it is content, and smtpd drops only the one added), a dot at a line start
     * is doubled, the end mark follows.
     */
    private static final class DataOutput extends FilterOutputStream {
        private int previous = '\n';

        DataOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (previous == '\n' && b == '.') {
                out.write('.');
            }
            if (b == '\n') {
                out.write('\r');
            }
            out.write(b);
            previous = b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i] & 0xff);
            }
        }

        void finish() throws IOException {
            if (previous != '\n') {
                out.write('\r');
                out.write('\n');
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
