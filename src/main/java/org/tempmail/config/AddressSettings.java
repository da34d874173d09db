package org.tempmail.config;

import java.time.ZoneId;

/** What the dated addresses are made of and where they lead. */
public record AddressSettings(
        SchemeName scheme,
        Secret secret,
        int length,
        String domain,
        String maildrop,
        int validDays,
        ZoneId zone) {
}
