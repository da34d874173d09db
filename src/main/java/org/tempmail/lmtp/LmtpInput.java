package org.tempmail.lmtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The client's side of an LMTP connection, read through one fixed buffer: command lines of bounded length, and
 * the content of a DATA command as a stream. Both share the buffer, so pipelined commands read ahead are never
 * lost, and nothing here grows with what the client sends.
 */
public final class LmtpInput {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;

    public LmtpInput(InputStream in) {
        this.in = in;
    }

    /** One command line as the client sent it, or why it was refused. */
    public sealed interface Line {
        /** The line without its line ending. */
        record Text(String text) implements Line {
        }

        /** Longer than allowed: consumed to its end, never held. */
        record TooLong() implements Line {
        }
    }

    /**
     * The next command line, ended by LF (a CR before it is dropped); empty at the end of the connection. A line
     * longer than {@code maxLength} bytes is read to its end and discarded.
     */
    public Optional<Line> readLine(int maxLength) throws IOException {
        byte[] kept = new byte[maxLength];
        int length = 0;
        boolean tooLong = false;
        while (true) {
            if (position == limit && !fill()) {
                return Optional.empty();
            }
            int b = buffer[position++] & 0xff;
            if (b == '\n') {
                break;
            }
            if (length < maxLength) {
                kept[length++] = (byte) b;
            } else {
                tooLong = true;
            }
        }
        if (tooLong) {
            return Optional.of(new Line.TooLong());
        }
        if (length > 0 && kept[length - 1] == '\r') {
            length--;
        }
        return Optional.of(new Line.Text(new String(kept, 0, length, StandardCharsets.UTF_8)));
    }

    /**
     * The content of one DATA command, read as it is asked for: dots that stuff a line start are removed, line
     * endings (CRLF, as SMTP has them) become LF (as Postfix gives a pipe command the message), and the stream
     * ends at the line holding a single dot. It fails with an {@link EOFException} when the connection ends
     * before that line: a message cut short is never taken for a whole one.
     */
    public InputStream data() {
        return new DataStream();
    }

    /** Whether bytes the client sent are already read ahead: replies to pipelined commands can wait for them. */
    public boolean hasBuffered() {
        return position < limit;
    }

    private boolean fill() throws IOException {
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        limit = n;
        return true;
    }

    private final class DataStream extends InputStream {
        /** At a line start: a dot there is stuffing or the end. */
        private static final int LINE_START = 0;
        /** A dot at a line start was read. */
        private static final int DOT = 1;
        /** A dot at a line start, then CR. */
        private static final int DOT_CR = 2;
        /** Inside a line. */
        private static final int IN_LINE = 3;
        /** Inside a line, a CR was read and held back: it is dropped if LF follows. */
        private static final int CR = 4;

        private int state = LINE_START;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] out, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (ended) {
                return -1;
            }
            int end = offset + length;
            int written = offset;
            // At most one byte is written per byte looked at; a held-back CR is written when the next byte
            // is looked at again.
            while (written < end) {
                if (position == limit) {
                    if (written > offset) {
                        break;
                    }
                    if (!fill()) {
                        throw new EOFException("the connection ended in the middle of DATA");
                    }
                }
                int b = buffer[position] & 0xff;
                position++;
                switch (state) {
                    case LINE_START -> {
                        if (b == '.') {
                            state = DOT;
                        } else {
                            written = inLine(b, out, written);
                        }
                    }
                    case DOT -> {
                        if (b == '\r') {
                            state = DOT_CR;
                        } else if (b == '\n') {
                            ended = true;
                        } else {
                            // The dot stuffed the line: dropped.
                            written = inLine(b, out, written);
                        }
                    }
                    case DOT_CR -> {
                        if (b == '\n') {
                            ended = true;
                        } else {
                            state = IN_LINE;
                            position--;
                            out[written++] = '\r';
                        }
                    }
                    case IN_LINE -> written = inLine(b, out, written);
                    case CR -> {
                        if (b == '\n') {
                            out[written++] = '\n';
                            state = LINE_START;
                        } else {
                            out[written++] = '\r';
                            state = IN_LINE;
                            position--;
                        }
                    }
                    default -> throw new IllegalStateException("state " + state);
                }
                if (ended) {
                    break;
                }
            }
            int n = written - offset;
            return n == 0 && ended ? -1 : n;
        }

        private int inLine(int b, byte[] out, int written) {
            if (b == '\r') {
                state = CR;
                return written;
            }
            out[written] = (byte) b;
            state = b == '\n' ? LINE_START : IN_LINE;
            return written + 1;
        }
    }
}
