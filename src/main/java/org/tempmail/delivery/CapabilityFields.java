package org.tempmail.delivery;

import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The header fields deliver adds for a capability address: its note, and a leak warning when the sender's domain
 * is not the domain of the first sender it ever saw. Pure: the caller records the delivery and passes what the
 * store said.
 */
public final class CapabilityFields {
    static final String NOTE = "X-Tempmail-Note";
    static final String LEAK = "X-Tempmail-Leak";

    private CapabilityFields() {
    }

    /**
     * The fields, unfolded lines without line endings. The note is RFC 2047-encoded when it is not ASCII and
     * folded when long; control characters in it become spaces, so a note can never add a field of its own.
     */
    public static List<String> lines(String note, String sender, Optional<String> firstSender) {
        List<String> lines = new ArrayList<>();
        String clean = note.replaceAll("\\p{Cntrl}+", " ").strip();
        if (!clean.isEmpty()) {
            lines.add(fold(NOTE + ": " + encode(clean)));
        }
        Optional<String> senderDomain = domainOf(sender);
        Optional<String> firstDomain = firstSender.flatMap(CapabilityFields::domainOf);
        if (senderDomain.isPresent() && firstDomain.isPresent() && !senderDomain.equals(firstDomain)) {
            lines.add(LEAK + ": first used by " + firstDomain.get());
        }
        return lines;
    }

    /** The lowercase domain of an address; empty for the null sender or an address without one. */
    static Optional<String> domainOf(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        String domain = address.substring(at + 1).replaceAll("[\\p{Cntrl}\\s<>]", "");
        return domain.isEmpty() ? Optional.empty() : Optional.of(domain.toLowerCase(Locale.ROOT));
    }

    private static String encode(String text) {
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            return text;
        }
        try {
            return MimeUtility.encodeText(text, "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is missing from this Java runtime", e);
        }
    }

    /** Folds at spaces so no line passes 78 characters where that is possible (RFC 5322 2.1.1). */
    private static String fold(String field) {
        return MimeUtility.fold(0, field);
    }
}
