package org.tempmail.address;

import java.time.LocalDate;

/** Derives the local part of a day's temporary address. */
public interface DatedScheme {
    /** The lowercase local part for the given calendar day. */
    String localPart(LocalDate day);
}
