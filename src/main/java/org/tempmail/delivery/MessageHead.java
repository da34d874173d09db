package org.tempmail.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The start of a message, read before anything is decided: its header section up to a bounded size, the header
 * fields found there, and its line ending. {@link #message()} gives back the whole message, nothing consumed.
 * A header section longer than the bound is not an error: the fields past it are simply not examined, and the
 * rewriter streams them through like any other.
 */
public final class MessageHead {
    /** Most bytes of a header section examined; Postfix's header_size_limit is 100 kB per field. */
    public static final int EXAMINED_HEADER_BYTES = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final byte[] bytes;
    private final InputStream rest;
    private final boolean complete;
    private final byte[] lineEnding;

    private MessageHead(byte[] bytes, InputStream rest, boolean complete, byte[] lineEnding) {
        this.bytes = bytes;
        this.rest = rest;
        this.complete = complete;
        this.lineEnding = lineEnding;
    }

    public static MessageHead read(InputStream message) throws IOException {
        return read(message, EXAMINED_HEADER_BYTES);
    }

    static MessageHead read(InputStream message, int limit) throws IOException {
        // Read in chunks and scanned in place; what lies past the header's end is pushed back for the rest.
        PushbackInputStream in = new PushbackInputStream(message, CHUNK);
        ByteArrayOutputStream head = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[CHUNK];
        boolean complete = false;
        int lineLength = 0;
        int firstOfLine = -1;
        while (!complete && head.size() < limit) {
            int n = in.read(chunk, 0, Math.min(CHUNK, limit - head.size()));
            if (n < 0) {
                complete = true;
                break;
            }
            int used = 0;
            while (used < n && !complete) {
                int b = chunk[used++] & 0xff;
                if (b == '\n') {
                    complete = lineLength == 0 || (lineLength == 1 && firstOfLine == '\r');
                    lineLength = 0;
                } else {
                    if (lineLength == 0) {
                        firstOfLine = b;
                    }
                    lineLength++;
                }
            }
            head.write(chunk, 0, used);
            in.unread(chunk, used, n - used);
        }
        byte[] bytes = head.toByteArray();
        return new MessageHead(bytes, in, complete, lineEndingOf(bytes));
    }

    /**
     * The whole message, from its first byte. Reaching its end leaves the stream it was read from open: that
     * belongs to the caller (a socket may still have to carry the answer).
     */
    public InputStream message() {
        return new SequenceInputStream(new ByteArrayInputStream(bytes), new Borrowed(rest));
    }

    /** The complete header fields among the examined bytes, in message order, parsed anew on each call. */
    public Stream<HeaderField> fields() {
        return StreamSupport.stream(new FieldParser(bytes, complete, null), false);
    }

    /**
     * The fields with one of these names (any case), in message order: the others are passed over without a
     * single object made for them, so looking through 250,000 fields for one costs no garbage.
     */
    public Stream<HeaderField> fields(String... names) {
        return StreamSupport.stream(new FieldParser(bytes, complete, names), false);
    }

    public Optional<HeaderField> first(String name) {
        return fields(name).findFirst();
    }

    /** Whether the whole header section lies within the examined bytes, so that no field went unseen. */
    public boolean wholeHeaderExamined() {
        return complete;
    }

    /** CRLF when the first line ends with CRLF, else LF (what Postfix gives a pipe command). */
    public byte[] lineEnding() {
        return lineEnding.clone();
    }

    private static byte[] lineEndingOf(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i > 0 && bytes[i - 1] == '\r' ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
            }
        }
        return new byte[] {'\n'};
    }

    /**
     * Parses the fields one at a time, as they are asked for: a header of 250,000 tiny fields costs its bytes,
     * not a quarter of a million objects held at once.
     */
    private static final class FieldParser extends Spliterators.AbstractSpliterator<HeaderField> {
        private final byte[] bytes;
        private final boolean complete;
        /** Null: every field. */
        private final String[] wanted;
        private final StringBuilder value = new StringBuilder();
        private String name;
        private int start;
        private boolean done;

        FieldParser(byte[] bytes, boolean complete, String[] wanted) {
            super(Long.MAX_VALUE, ORDERED | NONNULL | IMMUTABLE);
            this.bytes = bytes;
            this.complete = complete;
            this.wanted = wanted;
        }

        @Override
        public boolean tryAdvance(Consumer<? super HeaderField> action) {
            while (!done && start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                boolean lineComplete = end < bytes.length;
                int lineEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
                int lineStart = start;
                start = end + 1;
                boolean continuation = lineEnd > lineStart && (bytes[lineStart] == ' ' || bytes[lineStart] == '\t');
                if (continuation) {
                    if (name != null) {
                        value.append(new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8));
                    }
                    continue;
                }
                HeaderField finished = name == null ? null : new HeaderField(name, value.toString());
                name = null;
                int nameLength = nameLength(lineStart, lineEnd);
                if (nameLength < 0 || (!lineComplete && !complete)) {
                    done = true;
                } else if (isWanted(lineStart, nameLength)) {
                    String line = new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
                    int colon = fieldNameEnd(line);
                    name = line.substring(0, colon).strip();
                    value.setLength(0);
                    value.append(line, colon + 1, line.length());
                }
                if (finished != null) {
                    action.accept(finished);
                    return true;
                }
            }
            done = true;
            if (name != null && complete) {
                HeaderField last = new HeaderField(name, value.toString());
                name = null;
                action.accept(last);
                return true;
            }
            return false;
        }

        /** The length of the field name the line starts with, or -1 when it starts no header field. */
        private int nameLength(int from, int to) {
            int i = from;
            while (i < to && isFieldNameChar(bytes[i] & 0xff)) {
                i++;
            }
            int length = i - from;
            while (i < to && (bytes[i] == ' ' || bytes[i] == '\t')) {
                i++;
            }
            return length > 0 && i < to && bytes[i] == ':' ? length : -1;
        }

        private boolean isWanted(int from, int length) {
            if (wanted == null) {
                return true;
            }
            for (String candidate : wanted) {
                if (candidate.length() == length && asciiEqualsIgnoreCase(candidate, from)) {
                    return true;
                }
            }
            return false;
        }

        private boolean asciiEqualsIgnoreCase(String candidate, int from) {
            for (int k = 0; k < candidate.length(); k++) {
                if (Character.toLowerCase(candidate.charAt(k)) != Character.toLowerCase(bytes[from + k] & 0xff)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The index of the colon after a field name, or -1 when the line does not start a header field. */
    static int fieldNameEnd(String line) {
        int i = 0;
        while (i < line.length() && isFieldNameChar(line.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return -1;
        }
        int nameEnd = i;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i < line.length() && line.charAt(i) == ':' && nameEnd > 0 ? i : -1;
    }

    static boolean isFieldNameChar(int c) {
        return c >= 33 && c <= 126 && c != ':';
    }

    /** SequenceInputStream closes each stream it has read to the end; this one is not its to close. */
    private static final class Borrowed extends FilterInputStream {
        Borrowed(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // The owner closes it.
        }
    }
}
