package org.tempmail.delivery;

import java.time.Instant;
import java.util.Optional;
import org.tempmail.address.BackendException;

/** Where deliveries to capability addresses are counted: the database, wired in by the command line. */
public interface CapabilityLedger {
    /** Records nothing and knows no first sender. */
    CapabilityLedger NONE = (address, queueId, sender, at) -> Optional.empty();

    /**
     * Records one delivery to {@code address} (counted once per queue id) and returns the address's first sender,
     * which is {@code sender} when this is the first mail; empty for the null sender or when nothing is known.
     */
    Optional<String> record(String address, Optional<String> queueId, String sender, Instant at)
            throws BackendException;
}
