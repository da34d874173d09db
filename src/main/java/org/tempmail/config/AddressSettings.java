package org.tempmail.config;

import java.time.ZoneId;

/**
 * What the dated addresses are made of and where they lead; {@code recipientDelimiters} are the characters that
 * start an address extension (empty: none).
 */
public record AddressSettings(
        SchemeName scheme,
        Secret secret,
        int length,
        String domain,
        String maildrop,
        int validDays,
        ZoneId zone,
        String recipientDelimiters) {
}
