package org.tempmail.config;

import java.time.ZoneId;
import java.util.Optional;

/**
 * What the dated addresses are made of and where they lead; {@code recipientDelimiters} are the characters that
 * start an address extension (empty: none);
 * {@code previousSecret}: a secret being rotated out, still validating its addresses for a while.
 */
public record AddressSettings(
        SchemeName scheme,
        Secret secret,
        int length,
        String domain,
        String maildrop,
        int validDays,
        ZoneId zone,
        String recipientDelimiters,
        Optional<PreviousSecret> previousSecret) {

    /** Without a secret being rotated out. */
    public AddressSettings(SchemeName scheme, Secret secret, int length, String domain, String maildrop,
            int validDays, ZoneId zone, String recipientDelimiters) {
        this(scheme, secret, length, domain, maildrop, validDays, zone, recipientDelimiters, Optional.empty());
    }
}
