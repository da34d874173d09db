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
 * One SMTP connection to a reinjection listener, greeted and EHLO'd, carrying one transaction after another. A
 * transaction counts only once the listener has answered the final dot with 250; whatever breaks before that
 * queues nothing, and the connection is closed so that the listener never sees an end mark after a failure.
 */
final class SmtpConnection implements AutoCloseable {
    private static final int MAX_REPLY_LINE = 1000;
    private static final int OUTPUT_BUFFER = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final boolean eightBit;
    private final boolean utf8;
    private final String where;
    private int transactions;
    private long idleSince;

    /** What the listener answered to the first command of a transaction on a connection used before. */
    static final class Stale extends IOException {
        Stale(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SmtpConnection(Socket socket, String where) throws IOException, SubmissionException {
        this.socket = socket;
        this.where = where;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), OUTPUT_BUFFER);
        expect(220, "greeting");
        List<String> ehlo = command("EHLO localhost", 250, "EHLO");
        this.eightBit = ehlo.stream().anyMatch(l -> l.regionMatches(true, 4, "8BITMIME", 0, 8));
        this.utf8 = ehlo.stream().anyMatch(l -> l.regionMatches(true, 4, "SMTPUTF8", 0, 8));
    }

    static SmtpConnection open(String host, int port, Duration timeout) throws IOException, SubmissionException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(timeout.toMillis(), 30_000));
            socket.setSoTimeout((int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
            socket.setTcpNoDelay(true);
            return new SmtpConnection(socket, host + ":" + port);
        } catch (IOException | SubmissionException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * One message to one recipient. On a connection used before, a MAIL FROM that the listener cannot take (it
     * closed the idle connection, or says 421 as it does) is {@link Stale}: nothing of this message was sent.
     */
    void transaction(String sender, String recipient, MessageWriter message) throws IOException,
            SubmissionException {
        boolean smtputf8 = utf8 && !StandardCharsets.US_ASCII.newEncoder().canEncode(sender + recipient);
        String mail = "MAIL FROM:<" + sender + ">" + (eightBit ? " BODY=8BITMIME" : "") + (smtputf8 ? " SMTPUTF8" : "");
        if (transactions > 0) {
            List<String> reply;
            try {
                send(mail);
                reply = reply();
            } catch (IOException e) {
                throw new Stale("the listener closed the idle connection", e);
            }
            if (last(reply).startsWith("421")) {
                throw new Stale("the listener closed the idle connection: " + last(reply), null);
            }
            check(reply, 250, "MAIL");
        } else {
            command(mail, 250, "MAIL");
        }
        transactions++;
        command("RCPT TO:<" + recipient + ">", 250, "RCPT");
        command("DATA", 354, "DATA");
        DataOutput data = new DataOutput(out);
        message.writeTo(data);
        data.finish();
        out.flush();
        expect(250, "end of data");
        idleSince = System.nanoTime();
    }

    boolean idleLongerThan(Duration limit, long now) {
        return now - idleSince > limit.toNanos();
    }

    /** Says QUIT when it can; the connection is closed either way. */
    @Override
    public void close() {
        try (socket) {
            if (!socket.isClosed()) {
                socket.setSoTimeout(1000);
                command("QUIT", 221, "QUIT");
            }
        } catch (IOException | SubmissionException e) {
            // Nothing is under way: what happens to QUIT changes nothing.
        }
    }

    /** Closes at once, without QUIT: after a failure in a transaction, nothing more may be sent. */
    void abandon() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closed is what was wanted.
        }
    }

    private List<String> command(String line, int wanted, String what) throws IOException, SubmissionException {
        send(line);
        return expect(wanted, what);
    }

    private void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private List<String> expect(int wanted, String what) throws IOException, SubmissionException {
        return check(reply(), wanted, what);
    }

    /** A code other than {@code wanted} is a SubmissionException with the listener's words. */
    private List<String> check(List<String> reply, int wanted, String what) throws SubmissionException {
        if (!last(reply).startsWith(Integer.toString(wanted))) {
            // Its words may name hosts and addresses: for the administrator's log only.
            throw new SubmissionException("the reinjection listener refused the message (key LMTP_REINJECT)",
                    "the reinjection listener " + where + " answered " + what + " with: " + last(reply));
        }
        return reply;
    }

    private List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    private static String last(List<String> reply) {
        return reply.get(reply.size() - 1);
    }

    private String readLine() throws IOException {
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
     * is doubled, the end mark follows. Runs without either are written as they are.
     */
    private static final class DataOutput extends FilterOutputStream {
        private int previous = '\n';

        DataOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int run = offset;
            int end = offset + length;
            for (int i = offset; i < end; i++) {
                byte b = bytes[i];
                if (b == '.' && previous == '\n') {
                    out.write(bytes, run, i - run);
                    out.write('.');
                    run = i;
                } else if (b == '\n') {
                    out.write(bytes, run, i - run);
                    out.write('\r');
                    run = i;
                }
                previous = b;
            }
            out.write(bytes, run, end - run);
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
