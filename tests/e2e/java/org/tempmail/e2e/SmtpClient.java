package org.tempmail.e2e;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain SMTP client, so that the reply to each command can be asserted exactly, RCPT TO in particular.
 * Message text is given with LF line ends; it goes out with CRLF and dot-stuffed, as RFC 5321 wants.
 */
final class SmtpClient implements Closeable {
    private static final Pattern QUEUE_ID = Pattern.compile("queued as ([0-9A-Za-z]+)");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One reply: its code and its text, the lines of a multi-line reply joined by newlines. */
    record Reply(int code, String text) {
        boolean positive() {
            return code >= 200 && code < 400;
        }

        String queueId() {
            Matcher matcher = QUEUE_ID.matcher(text);
            if (!matcher.find()) {
                throw new AssertionError("no queue id in " + this);
            }
            return matcher.group(1);
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }

    SmtpClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(120_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        expect(read(), 220, "greeting");
        expect(command("EHLO client.e2e.test"), 250, "EHLO");
    }

    Reply mailFrom(String sender) throws IOException {
        return command("MAIL FROM:<" + sender + "> BODY=8BITMIME");
    }

    Reply rcptTo(String recipient) throws IOException {
        return command("RCPT TO:<" + recipient + ">");
    }

    /** DATA, the message, and the final dot; returns the reply to the message (250 ... queued as ID). */
    Reply data(MessageSource message) throws IOException {
        Reply go = command("DATA");
        if (go.code() != 354) {
            return go;
        }
        SmtpDataStream data = new SmtpDataStream(out);
        message.writeTo(data);
        data.finish();
        out.flush();
        return read();
    }

    /** A whole transaction that must succeed; returns the queue id. */
    String send(String sender, String recipient, MessageSource message) throws IOException {
        expect(mailFrom(sender), 250, "MAIL FROM");
        expect(rcptTo(recipient), 250, "RCPT TO:<" + recipient + ">");
        Reply end = data(message);
        expect(end, 250, "end of DATA");
        return end.queueId();
    }

    Reply command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return read();
    }

    private Reply read() throws IOException {
        StringBuilder text = new StringBuilder();
        while (true) {
            String line = readLine();
            if (line.length() < 3) {
                throw new IOException("not an SMTP reply: " + line);
            }
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void expect(Reply reply, int code, String what) throws IOException {
        if (reply.code() != code) {
            throw new AssertionError(what + ": expected " + code + ", got " + reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!socket.isClosed()) {
                command("QUIT");
            }
        } catch (IOException e) {
            // The server may have closed the connection already; closing the socket is all that is left.
        } finally {
            socket.close();
        }
    }

    /** Turns LF into CRLF and doubles a dot at the start of a line. */
    private static final class SmtpDataStream extends OutputStream {
        private final OutputStream out;
        private boolean atLineStart = true;

        SmtpDataStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
                atLineStart = true;
                return;
            }
            if (atLineStart && b == '.') {
                out.write('.');
            }
            out.write(b);
            atLineStart = false;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        void finish() throws IOException {
            if (!atLineStart) {
                out.write('\r');
                out.write('\n');
            }
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
