package org.tempmail.storage;

import java.time.Instant;
import java.util.Optional;

/** One capability address as stored. An empty target means the configured MAILDROP. */
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
        long messageCount) {

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
