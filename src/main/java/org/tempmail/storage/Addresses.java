package org.tempmail.storage;

import java.util.Locale;
import java.util.Optional;

/** Splitting and normalising addresses the way the store keys them. */
public final class Addresses {
    private Addresses() {
    }

    /** local part and domain, split at the last '@'. */
    public record Parts(String localPart, String domain) {
    }

    public static Optional<Parts> split(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new Parts(address.substring(0, at), address.substring(at + 1)));
    }

    /** Local parts compare without case: the key the unique index holds. */
    static String key(String localPart) {
        return localPart.toLowerCase(Locale.ROOT);
    }

    static String domain(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** The domain of a sender address, lowercase; empty for the null sender or a bare local part. */
    public static Optional<String> domainOf(String sender) {
        return split(sender).map(parts -> domain(parts.domain()));
    }
}
