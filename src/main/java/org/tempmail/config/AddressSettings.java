package org.tempmail.config;

import java.time.ZoneId;
import java.util.Optional;

/**
 * What the dated addresses are made of and where they lead; {@code defaultOwner}: tempmail.cf's own owner, whose
 * addresses SCHEME makes in DOMAIN (empty: every owner is in the database); {@code recipientDelimiters} are the
 * characters that start an address extension (empty: none).
 */
public record AddressSettings(
        SchemeName scheme,
        Optional<DefaultOwner> defaultOwner,
        int length,
        String domain,
        int validDays,
        ZoneId zone,
        String recipientDelimiters) {

    /** With tempmail.cf's owner, and {@code previousSecret}: a secret being rotated out. */
    public AddressSettings(SchemeName scheme, Secret secret, int length, String domain, String maildrop,
            int validDays, ZoneId zone, String recipientDelimiters, Optional<PreviousSecret> previousSecret) {
        this(scheme, Optional.of(new DefaultOwner(secret, maildrop, previousSecret)), length, domain, validDays, zone,
                recipientDelimiters);
    }

    /** With tempmail.cf's owner, without a secret being rotated out. */
    public AddressSettings(SchemeName scheme, Secret secret, int length, String domain, String maildrop,
            int validDays, ZoneId zone, String recipientDelimiters) {
        this(scheme, secret, length, domain, maildrop, validDays, zone, recipientDelimiters, Optional.empty());
    }

    /** MAILDROP's domain, lowercase, when tempmail.cf has an owner: never a temporary domain. */
    public Optional<String> maildropDomain() {
        return defaultOwner.map(DefaultOwner::maildropDomain);
    }
}
