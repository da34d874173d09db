package org.tempmail.page;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.storage.Owner;

/**
 * What the offline page is made for: everything about the addresses except the secret, which never leaves the
 * owner's hands. {@code timeZone} is a name browsers know (IANA, or UTC).
 */
public record PageSettings(String domain, SchemeName scheme, int length, int validDays, String timeZone) {

    /** The page settings of a configuration; a zone that is a bare offset other than UTC has no name to give. */
    public static PageSettings from(AddressSettings settings) {
        return new PageSettings(settings.domain(), settings.scheme(), settings.length(), settings.validDays(),
                zoneName(settings.zone()));
    }

    /** The page of an owner kept in DATABASE: its domain and window, hmac-sha256 as all such owners' addresses. */
    public static PageSettings forOwner(Owner owner, AddressSettings settings) {
        return new PageSettings(owner.domainOr(settings.domain()).toLowerCase(Locale.ROOT), SchemeName.HMAC_SHA256,
                OwnerAddresses.length(settings), owner.validDaysOr(settings.validDays()), zoneName(settings.zone()));
    }

    static String zoneName(ZoneId zone) {
        ZoneId normalized = zone.normalized();
        if (normalized.equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        if (normalized instanceof ZoneOffset) {
            throw new IllegalArgumentException("the time zone " + zone.getId() + " is an offset, which browsers "
                    + "cannot follow: set TIMEZONE to a zone name such as Europe/Berlin");
        }
        return zone.getId();
    }
}
