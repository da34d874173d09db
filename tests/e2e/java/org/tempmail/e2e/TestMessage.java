package org.tempmail.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

/**
 * A message with a unique marker in its Message-ID, whose body's SHA-256 is taken while it is sent, so the
 * copy in the Maildir can be compared byte for byte without holding either in memory.
 */
final class TestMessage implements MessageSource {
    /**
     * Lines that a careless pipe would change: a leading dot (SMTP dot-stuffing), "From " (mbox quoting),
     * trailing white space, tabs, 8-bit UTF-8, a line that is only a dot, a long line, an empty last line.
     */
    static final String TRICKY_BODY = """
            Hello,
            .a line that starts with a dot
            .
            From the start of a line, as in an mbox
            >From already quoted
            trailing white space\t\s\s
            \ttab-indented
            Grüße, 8-bit: äöü ß € 日本
            %s

            --\s
            signature after the standard delimiter
            """.formatted("x".repeat(900));

    private final String marker;
    private final String header;
    private final BodyWriter body;
    private byte[] bodyDigest;

    @FunctionalInterface
    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    private TestMessage(String marker, String header, BodyWriter body) {
        this.marker = marker;
        this.header = header;
        this.body = body;
    }

    /** A short text message with {@link #TRICKY_BODY}. */
    static TestMessage text(String from, String to) {
        return create(from, to, "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
                out -> out.write(TRICKY_BODY.getBytes(StandardCharsets.UTF_8)));
    }

    /** A multipart message of about {@code megabytes} MB: a text part and a base64 attachment of random bytes. */
    static TestMessage withAttachment(String from, String to, int megabytes, long seed) {
        String boundary = "=_tempmail-e2e-" + seed;
        // base64 makes 4 bytes of 3, plus a line end per 76 characters.
        long rawBytes = (long) megabytes * 1024 * 1024 * 3 / 4 * 76 / 77;
        BodyWriter body = out -> {
            out.write(("This is a multi-part message in MIME format.\n\n--" + boundary + "\n"
                    + "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n"
                    + TRICKY_BODY + "\n--" + boundary + "\n"
                    + "Content-Type: application/octet-stream; name=\"random.bin\"\n"
                    + "Content-Disposition: attachment; filename=\"random.bin\"\n"
                    + "Content-Transfer-Encoding: base64\n\n").getBytes(StandardCharsets.US_ASCII));
            Random random = new Random(seed);
            Base64.Encoder encoder = Base64.getMimeEncoder(76, new byte[] {'\n'});
            byte[] chunk = new byte[57 * 1024];
            for (long left = rawBytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                int length = (int) Math.min(chunk.length, left);
                out.write(encoder.encode(length == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, length)));
                out.write('\n');
            }
            out.write(("--" + boundary + "--\n").getBytes(StandardCharsets.US_ASCII));
        };
        return create(from, to, "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\n", body);
    }

    private static TestMessage create(String from, String to, String contentHeaders, BodyWriter body) {
        String marker = UUID.randomUUID().toString();
        String text = "From: Sender <" + (from.isEmpty() ? "mailer-daemon@example.net" : from) + ">\n"
                + "To: <" + to + ">\n"
                + "Subject: tempmail e2e " + marker + "\n"
                + "Date: Sun, 22 Nov 2026 12:00:00 +0000\n"
                + "Message-ID: <" + marker + "@e2e.test>\n"
                + "MIME-Version: 1.0\n"
                + contentHeaders;
        return new TestMessage(marker, text, body);
    }

    String marker() {
        return marker;
    }

    /** The SHA-256 of the body as sent (LF line ends), known once the message was written. */
    String bodyDigest() {
        if (bodyDigest == null) {
            throw new IllegalStateException("the message was not sent yet");
        }
        return HexFormat.of().formatHex(bodyDigest);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(header.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        MessageDigest digest = sha256();
        body.write(new DigestOutputStream(out, digest));
        bodyDigest = digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
