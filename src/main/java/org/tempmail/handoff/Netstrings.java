package org.tempmail.handoff;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Netstrings ({@code <length>:<bytes>,}) on blocking streams, the framing of the hand-off protocol. */
final class Netstrings {
    private static final int MAX_LENGTH_DIGITS = 9;

    private Netstrings() {
    }

    static void write(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.write(bytes);
        out.write(',');
    }

    /** Reads one netstring of at most {@code limit} bytes; anything else is a {@link HandoffException}. */
    static String read(InputStream in, int limit) throws IOException {
        int length = 0;
        int digits = 0;
        int c;
        while ((c = next(in)) != ':') {
            if (c < '0' || c > '9' || ++digits > MAX_LENGTH_DIGITS) {
                throw new HandoffException("malformed netstring length");
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0) {
            throw new HandoffException("malformed netstring length");
        }
        if (length > limit) {
            throw new HandoffException("netstring of " + length + " bytes exceeds the limit of " + limit);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("connection closed inside a netstring");
        }
        if (next(in) != ',') {
            throw new HandoffException("netstring not terminated by a comma");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int next(InputStream in) throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("connection closed before a netstring ended");
        }
        return c;
    }
}
