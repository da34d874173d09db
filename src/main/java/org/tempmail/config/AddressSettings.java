package org.tempmail.config;

import java.time.ZoneId;
import java.util.Optional;

/** What the dated addresses are made of and where they lead. */
public record AddressSettings(
        SchemeName scheme,
        Secret secret,
        int length,
        String domain,
        String maildrop,
        int validDays,
        ZoneId zone,
        Optional<PreviousSecret> previousSecret) {

    /** Without a secret being rotated out. */
    public AddressSettings(SchemeName scheme, Secret secret, int length, String domain, String maildrop,
            int validDays, ZoneId zone) {
        this(scheme, secret, length, domain, maildrop, validDays, zone, Optional.empty());
    }
}
