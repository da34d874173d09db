package org.tempmail.handoff;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How the message travels after GO: netstrings of at most {@link #MAX_FRAME} bytes, closed by an empty one. The
 * empty netstring is the end-of-message mark: a connection that ends without it carries a message cut short
 * by a dying client, and the server submits nothing of it.
 */
final class MessageFrames {
    static final int MAX_FRAME = 64 * 1024;
    private static final byte[] END = "0:,".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_LENGTH_DIGITS = 5;

    private MessageFrames() {
    }

    /** Sends the whole of {@code message}, then the end mark. */
    static void send(InputStream message, OutputStream out) throws IOException {
        byte[] buffer = new byte[MAX_FRAME];
        int n;
        while ((n = message.readNBytes(buffer, 0, buffer.length)) > 0) {
            out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
            out.write(':');
            out.write(buffer, 0, n);
            out.write(',');
        }
        out.write(END);
    }

    /** The message as sent: ends where the end mark is, and fails where the connection ends before it. */
    static final class Reader extends InputStream {
        private final InputStream in;
        private int leftInFrame;
        private boolean ended;

        Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (leftInFrame == 0 && !nextFrame()) {
                return -1;
            }
            int n = in.read(buffer, offset, Math.min(length, leftInFrame));
            if (n < 0) {
                throw new EOFException("connection closed inside the message");
            }
            leftInFrame -= n;
            if (leftInFrame == 0) {
                expect(',');
            }
            return n;
        }

        /** Reads the next frame's length; false at the end mark. */
        private boolean nextFrame() throws IOException {
            if (ended) {
                return false;
            }
            int length = 0;
            int digits = 0;
            int c;
            while ((c = next()) != ':') {
                if (c < '0' || c > '9' || ++digits > MAX_LENGTH_DIGITS) {
                    throw new HandoffException("malformed message frame");
                }
                length = length * 10 + (c - '0');
            }
            if (digits == 0 || length > MAX_FRAME) {
                throw new HandoffException("malformed message frame");
            }
            if (length == 0) {
                expect(',');
                ended = true;
                return false;
            }
            leftInFrame = length;
            return true;
        }

        private void expect(int wanted) throws IOException {
            if (next() != wanted) {
                throw new HandoffException("malformed message frame");
            }
        }

        private int next() throws IOException {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed before the end of the message");
            }
            return c;
        }
    }
}
