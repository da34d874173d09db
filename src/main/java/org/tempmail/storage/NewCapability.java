package org.tempmail.storage;

import java.time.Instant;
import java.util.Optional;

/** What `tempmail cap create` or an import asks the store to keep; {@code owner} by name. */
public record NewCapability(
        String localPart,
        String domain,
        boolean enabled,
        Optional<String> target,
        String note,
        Instant created,
        Optional<Instant> expires,
        Optional<String> owner) {

    /** An address of no owner. */
    public NewCapability(String localPart, String domain, boolean enabled, Optional<String> target, String note,
            Instant created, Optional<Instant> expires) {
        this(localPart, domain, enabled, target, note, created, expires, Optional.empty());
    }

    public String address() {
        return localPart + "@" + domain;
    }
}
