package org.tempmail.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * One capability address as stored. An empty target means its owner's maildrop, or the configured MAILDROP for
 * an address of no owner.
 */
public record Capability(
        String localPart,
        String domain,
        boolean enabled,
        Optional<String> target,
        String note,
        Instant created,
        Optional<Instant> expires,
        Optional<String> firstSender,
        Optional<Instant> firstSeen,
        Optional<Instant> lastSeen,
        long messageCount,
        Optional<Holder> owner) {

    /** The owner an address belongs to, as far as resolving needs it. */
    public record Holder(String name, String maildrop, boolean enabled) {
    }

    /** An address of no owner. */
    public Capability(String localPart, String domain, boolean enabled, Optional<String> target, String note,
            Instant created, Optional<Instant> expires, Optional<String> firstSender, Optional<Instant> firstSeen,
            Optional<Instant> lastSeen, long messageCount) {
        this(localPart, domain, enabled, target, note, created, expires, firstSender, firstSeen, lastSeen,
                messageCount, Optional.empty());
    }

    public String address() {
        return localPart + "@" + domain;
    }

    /** Whether mail is accepted at the given instant: enabled and not past its expiry. */
    public boolean acceptsAt(Instant at) {
        return enabled && !isExpiredAt(at);
    }

    public boolean isExpiredAt(Instant at) {
        return expires.isPresent() && !at.isBefore(expires.get());
    }
}
