package org.tempmail.address;

import java.time.Instant;

/** The single decision point: is this address valid at this instant, and where does its mail go. */
public interface Resolver {
    Resolution resolve(String address, Instant at) throws BackendException;
}
