package org.tempmail.delivery;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Puts a tag before a Subject once. The original value bytes are kept after the tag (encoded words, raw 8-bit
 * text and folding included); a non-ASCII tag becomes an RFC 2047 encoded word of its own, separated by a space,
 * so the field stays valid however the Subject was written.
 */
final class SubjectTag {
    private final String tag;
    private final byte[] tagBytes;
    private final boolean asciiTag;

    SubjectTag(String tag) {
        this.tag = tag;
        this.asciiTag = tag.chars().allMatch(c -> c >= 32 && c < 127);
        this.tagBytes = tag.getBytes(StandardCharsets.US_ASCII);
    }

    /** The tagged value (the bytes after "Subject:"), or empty when the Subject already carries the tag. */
    Optional<byte[]> apply(byte[] value) {
        if (decoded(value).contains(tag)) {
            return Optional.empty();
        }
        int start = 0;
        while (start < value.length && (value[start] == ' ' || value[start] == '\t')) {
            start++;
        }
        boolean blank = new String(value, StandardCharsets.ISO_8859_1).isBlank();
        boolean encodedWordFollows = value.length - start >= 2 && value[start] == '=' && value[start + 1] == '?';
        ByteArrayOutputStream tagged = new ByteArrayOutputStream(value.length + tag.length() * 4 + 16);
        tagged.write(' ');
        tagged.writeBytes(asciiTag ? tagBytes : encodedTag(blank || !encodedWordFollows ? tag : tag + " "));
        if (!blank) {
            tagged.write(' ');
            tagged.write(value, start, value.length - start);
        }
        return Optional.of(tagged.toByteArray());
    }

    private static byte[] encodedTag(String text) {
        try {
            return MimeUtility.encodeWord(text, "UTF-8", "Q").getBytes(StandardCharsets.US_ASCII);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** The Subject as a reader sees it: unfolded, encoded words decoded, raw 8-bit text read as UTF-8. */
    static String decoded(byte[] value) {
        String unfolded = new String(value, StandardCharsets.UTF_8).replace("\r", "").replace("\n", "").strip();
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return unfolded;
        }
    }
}
