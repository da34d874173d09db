package org.tempmail.owners;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.tempmail.address.DatedScheme;

/**
 * Whose dated addresses the index holds: an owner of the store ({@code name} present) or tempmail.cf's own
 * owner (empty name), with the schemes that make its addresses, the newest first.
 */
public record Holder(Optional<String> name, String domain, String maildrop, int validDays,
        List<Generation> generations) {

    /** A scheme that makes valid addresses for the days up to {@code lastDay}. */
    public record Generation(DatedScheme scheme, LocalDate lastDay) {
    }

    public Holder {
        generations = List.copyOf(generations);
    }

    /** tempmail.cf's owner, whose addresses the dated resolver of tempmail.cf judges. */
    public boolean isDefault() {
        return name.isEmpty();
    }

    String describe() {
        return name.map(n -> "owner " + n).orElse("the owner of tempmail.cf");
    }
}
