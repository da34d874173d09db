package org.tempmail.delivery;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The header fields that the signatures in a message cover: every name in the h= tag of its DKIM-Signature,
 * ARC-Message-Signature and DomainKey-Signature fields. Signatures are not verified (that needs DNS): a field a
 * broken or forged signature names counts as signed too, which only ever means leaving a field alone.
 */
final class SignedFields {
    static final String[] SIGNATURE_FIELDS = {"DKIM-Signature", "ARC-Message-Signature", "DomainKey-Signature"};

    /** Unknown signatures may lie past the examined part of the header: then every field counts as signed. */
    private static final SignedFields EVERY_FIELD = new SignedFields(null);

    /** Lower-case names; null for every field. */
    private final Set<String> names;

    private SignedFields(Set<String> names) {
        this.names = names;
    }

    static SignedFields of(MessageHead head) {
        if (!head.wholeHeaderExamined()) {
            return EVERY_FIELD;
        }
        return of(head.fields(SIGNATURE_FIELDS).map(HeaderField::value));
    }

    /** From the values of signature fields, unfolded. */
    static SignedFields of(Stream<String> signatureValues) {
        Set<String> names = new HashSet<>();
        signatureValues.forEach(value -> names.addAll(namesIn(value)));
        return new SignedFields(names);
    }

    boolean covers(String fieldName) {
        return names == null || names.contains(fieldName.toLowerCase(Locale.ROOT));
    }

    /**
     * The lower-case field names of a signature's h= tag. Tags are "name=value" pairs separated by semicolons,
     * with white space allowed around names, values and the colons between field names (RFC 6376 3.2, 3.5).
     * The tag name is matched in any case: a stricter reading could only tag a Subject that some verifier
     * considers signed.
     */
    static Set<String> namesIn(String signatureValue) {
        Set<String> names = new HashSet<>();
        for (String tag : signatureValue.split(";")) {
            int equals = tag.indexOf('=');
            if (equals < 0 || !tag.substring(0, equals).strip().equalsIgnoreCase("h")) {
                continue;
            }
            for (String name : tag.substring(equals + 1).split(":")) {
                String stripped = name.strip();
                if (!stripped.isEmpty()) {
                    names.add(stripped.toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
