package org.tempmail.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Streams a message through: the given header lines first, then every header line as it came except the fields
 * to strip (with their continuation lines), the incoming fields of our namespace renamed, and the first Subject
 * tagged when a tag is set and no signature covers the Subject; then the body untouched.
 * Memory stays bounded: lines are copied through a fixed buffer, only a Subject to tag is held, up to
 * {@link #MAX_TAGGED_SUBJECT} bytes (a longer one passes through untagged).
 */
public final class HeaderRewriter {
    static final int BUFFER_SIZE = 64 * 1024;
    /** Longest field name looked at; a longer run of name characters is no field we act on. */
    static final int MAX_FIELD_NAME = 1000;
    static final int MAX_TAGGED_SUBJECT = 256 * 1024;
    /** The field delivery adds with an address's extension, for the owner's filters. */
    static final String EXTENSION_FIELD = "X-Tempmail-Extension";
    /**
     * The fields delivery adds all start so. Incoming ones are renamed, X-Tempmail-Note becoming
     * X-Incoming-Tempmail-Note, so that a sender's forgery never looks like ours to the owner or a filter.
     */
    static final String OUR_PREFIX = "x-tempmail-";
    static final byte[] INCOMING_PREFIX = "X-Incoming-".getBytes(StandardCharsets.US_ASCII);

    private final Optional<SubjectTag> subjectTag;
    private final Set<String> strip;

    public HeaderRewriter(Optional<String> subjectTag, List<String> stripHeaders) {
        this.subjectTag = subjectTag.filter(tag -> !tag.isBlank()).map(SubjectTag::new);
        this.strip = stripHeaders.stream().map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A Subject that a DKIM or ARC signature covers is never tagged: the signature would no longer verify. */
    public void rewrite(MessageHead head, OutputStream out, byte[] prependedLines) throws IOException {
        out.write(prependedLines);
        LineSource in = new LineSource(head.message(), BUFFER_SIZE);
        boolean stripping = false;
        boolean subjectSeen = subjectTag.isEmpty() || SignedFields.of(head).covers("Subject");
        while (!in.atEnd()) {
            int first = in.peek(0);
            if (first == ' ' || first == '\t') {
                if (stripping) {
                    in.skipLine();
                } else {
                    in.copyLine(out);
                }
                continue;
            }
            if (in.atBlankLine()) {
                break;
            }
            String name = fieldName(in);
            if (name == null) {
                break;
            }
            stripping = strip.contains(name);
            if (stripping) {
                in.skipLine();
            } else if (name.startsWith(OUR_PREFIX)) {
                out.write(INCOMING_PREFIX);
                in.skip(2);
                in.copyLine(out);
            } else if (!subjectSeen && name.equals("subject")) {
                subjectSeen = true;
                tagSubject(in, out);
            } else {
                in.copyLine(out);
            }
        }
        in.copyRest(out);
    }

    /** The lower-case name of the field the next line starts, or null when it starts none (the body begins). */
    private static String fieldName(LineSource in) throws IOException {
        int length = 0;
        while (length < MAX_FIELD_NAME && MessageHead.isFieldNameChar(in.peek(length))) {
            length++;
        }
        int i = length;
        while (i < MAX_FIELD_NAME && (in.peek(i) == ' ' || in.peek(i) == '\t')) {
            i++;
        }
        if (length == 0 || i >= MAX_FIELD_NAME || in.peek(i) != ':') {
            return null;
        }
        // Lower case from the start: one object per header line, which matters for 250,000 of them.
        byte[] name = new byte[length];
        for (int k = 0; k < length; k++) {
            name[k] = (byte) Character.toLowerCase(in.peek(k));
        }
        return new String(name, StandardCharsets.US_ASCII);
    }

    private void tagSubject(LineSource in, OutputStream out) throws IOException {
        ByteArrayOutputStream field = new ByteArrayOutputStream(256);
        boolean whole = in.readLine(field, MAX_TAGGED_SUBJECT);
        while (whole && (in.peek(0) == ' ' || in.peek(0) == '\t')) {
            whole = in.readLine(field, MAX_TAGGED_SUBJECT);
        }
        byte[] bytes = field.toByteArray();
        if (!whole) {
            out.write(bytes);
            in.copyLine(out);
            return;
        }
        int colon = indexOf(bytes, (byte) ':');
        int end = bytes.length;
        if (end > colon + 1 && bytes[end - 1] == '\n') {
            end--;
            if (end > colon + 1 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        Optional<byte[]> tagged = subjectTag.orElseThrow().apply(Arrays.copyOfRange(bytes, colon + 1, end));
        if (tagged.isEmpty()) {
            out.write(bytes);
            return;
        }
        out.write(bytes, 0, colon + 1);
        out.write(tagged.get());
        out.write(bytes, end, bytes.length - end);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
