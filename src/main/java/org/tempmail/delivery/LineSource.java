package org.tempmail.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads a stream line by line through one fixed buffer, so a line of any length is copied or skipped without
 * being held in memory. A line ends after its LF; the last line may have none.
 */
final class LineSource {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean eof;

    LineSource(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** The byte {@code offset} places ahead, or -1 past the end; offset must be below the buffer size. */
    int peek(int offset) throws IOException {
        while (limit - position <= offset && !eof) {
            fill();
        }
        return limit - position > offset ? buffer[position + offset] & 0xff : -1;
    }

    boolean atEnd() throws IOException {
        return peek(0) < 0;
    }

    /** Whether the next line is empty: LF or CRLF. */
    boolean atBlankLine() throws IOException {
        int first = peek(0);
        return first == '\n' || (first == '\r' && peek(1) == '\n');
    }

    void copyLine(OutputStream out) throws IOException {
        transferLine(out);
    }

    void skipLine() throws IOException {
        transferLine(null);
    }

    /** Drops the next {@code count} bytes, which {@link #peek} must have shown to be on the current line. */
    void skip(int count) throws IOException {
        if (peek(count - 1) < 0) {
            throw new IllegalStateException("fewer than " + count + " bytes left");
        }
        position += count;
    }

    /**
     * Appends the next line to {@code out} unless that would take it past {@code max} bytes; returns whether the
     * whole line was appended. When it returns false, the bytes appended so far are consumed, the rest is not.
     */
    boolean readLine(ByteArrayOutputStream out, int max) throws IOException {
        while (true) {
            if (position == limit) {
                if (eof || !fillAtStart()) {
                    return true;
                }
            }
            int end = indexOfLf();
            int chunkEnd = end >= 0 ? end + 1 : limit;
            int room = max - out.size();
            if (chunkEnd - position > room) {
                out.write(buffer, position, room);
                position += room;
                return false;
            }
            out.write(buffer, position, chunkEnd - position);
            position = chunkEnd;
            if (end >= 0) {
                return true;
            }
        }
    }

    /** Copies everything left, buffered bytes first. */
    void copyRest(OutputStream out) throws IOException {
        out.write(buffer, position, limit - position);
        position = limit;
        if (!eof) {
            in.transferTo(out);
        }
    }

    private void transferLine(OutputStream out) throws IOException {
        while (true) {
            if (position == limit && (eof || !fillAtStart())) {
                return;
            }
            int end = indexOfLf();
            int chunkEnd = end >= 0 ? end + 1 : limit;
            if (out != null) {
                out.write(buffer, position, chunkEnd - position);
            }
            position = chunkEnd;
            if (end >= 0) {
                return;
            }
        }
    }

    private int indexOfLf() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean fillAtStart() throws IOException {
        position = 0;
        limit = 0;
        fill();
        return limit > 0;
    }

    private void fill() throws IOException {
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }
}
