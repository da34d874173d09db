package org.tempmail.config;

import java.util.Locale;
import java.util.Optional;

/**
 * tempmail.cf's own owner: SHARED_SECRET (or SHARED_SECRET_FILE) with MAILDROP, and a secret being rotated out
 * ({@code previousSecret}). A tempmail.cf with DATABASE may have none: then every owner is in the database.
 */
public record DefaultOwner(Secret secret, String maildrop, Optional<PreviousSecret> previousSecret) {

    /** MAILDROP's domain, lowercase: a permanent one, never a temporary domain. */
    public String maildropDomain() {
        return maildrop.substring(maildrop.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
