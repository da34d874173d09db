package org.tempmail.storage;

import java.time.Instant;
import java.util.Optional;

/** What `tempmail cap create` or an import asks the store to keep. */
public record NewCapability(
        String localPart,
        String domain,
        boolean enabled,
        Optional<String> target,
        String note,
        Instant created,
        Optional<Instant> expires) {

    public String address() {
        return localPart + "@" + domain;
    }
}
