package org.tempmail.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A 20 MB body, generated and checked as a stream: nothing here holds the message. */
class LargeMessageTest {
    private static final long BODY_BYTES = 20L * 1024 * 1024;

    @Test
    void twentyMegabyteBinaryBodyComesOutIdentical() throws Exception {
        byte[] header = "From: a@example.net\nSubject: big\n\n".getBytes(UTF_8);
        byte[] added = "X-Tempmail-To: r@t\nX-Tempmail-Expires: x\n".getBytes(UTF_8);

        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        expected.update(added);
        expected.update("From: a@example.net\nSubject: [temp] big\n\n".getBytes(UTF_8));
        try (InputStream body = new GeneratedBody(BODY_BYTES)) {
            body.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), expected));
        }

        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        CountingOutputStream counted = new CountingOutputStream();
        InputStream message = new SequenceInputStream(new ByteArrayInputStream(header), new GeneratedBody(BODY_BYTES));
        MessageHead head = MessageHead.read(message);
        new HeaderRewriter(Optional.of("[temp]"), List.of())
                .rewrite(head, new DigestOutputStream(counted, actual), added);

        assertEquals(added.length + header.length + "[temp] ".length() + BODY_BYTES, counted.count);
        assertArrayEquals(expected.digest(), actual.digest());
    }

    /** Pseudo-random bytes, NULs and lone CRs and LFs included, the same on every run. */
    static final class GeneratedBody extends InputStream {
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedBody(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                b[off + i] = (byte) state;
            }
            remaining -= n;
            return n;
        }
    }

    private static final class CountingOutputStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
