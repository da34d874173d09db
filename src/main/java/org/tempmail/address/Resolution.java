package org.tempmail.address;

import java.time.Instant;

/** The one answer every path gets for an address at an instant. */
public sealed interface Resolution {

    /** The address is valid: mail goes to {@code target} and is accepted until {@code validUntil} (exclusive). */
    record Valid(String target, Instant validUntil) implements Resolution {
    }

    /** The address was valid once and stopped being valid at {@code since}. */
    record Expired(Instant since) implements Resolution {
    }

    /** The address is not one of ours, or not one we can recognise. */
    record Unknown() implements Resolution {
    }

    Resolution UNKNOWN = new Unknown();
}
