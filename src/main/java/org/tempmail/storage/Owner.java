package org.tempmail.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One owner as stored: whose dated addresses are made from {@code secret} in {@code domain} (empty: DOMAIN) and
 * valid for {@code validDays} (empty: VALID_DAYS). {@code previousSecret} is a secret rotated out, still making
 * valid addresses for the days up to {@code previousLastDay}. toString never shows a secret.
 */
public record Owner(
        long id,
        String name,
        String maildrop,
        String secret,
        Optional<String> previousSecret,
        Optional<LocalDate> previousLastDay,
        Optional<String> domain,
        OptionalInt validDays,
        boolean enabled,
        Instant created) {

    /** The domain of its addresses, DOMAIN when none is stored. */
    public String domainOr(String defaultDomain) {
        return domain.orElse(defaultDomain);
    }

    public int validDaysOr(int defaultValidDays) {
        return validDays.orElse(defaultValidDays);
    }

    @Override
    public String toString() {
        return "Owner[" + name + ", maildrop " + maildrop + ", domain " + domain.orElse("DOMAIN") + ", "
                + (enabled ? "enabled" : "disabled") + "]";
    }
}
