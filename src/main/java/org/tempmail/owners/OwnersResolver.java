package org.tempmail.owners;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;

/**
 * The dated addresses of every owner: the owner index says whose an address is; tempmail.cf's owner's are then
 * judged by its own dated resolver, as without owners (expired ones included), an owner's by its window. A local
 * part two holders share is nobody's. Takes addresses already read: unquoted, lowercase, no extension.
 */
public final class OwnersResolver implements Resolver {
    private final OwnerDirectory directory;
    private final Resolver defaultOwner;
    private final String defaultDomain;
    private final ZoneId zone;

    public OwnersResolver(OwnerDirectory directory, Resolver defaultOwner, String defaultDomain, ZoneId zone) {
        this.directory = directory;
        this.defaultOwner = defaultOwner;
        this.defaultDomain = defaultDomain.toLowerCase(Locale.ROOT);
        this.zone = zone;
    }

    @Override
    public Resolution resolve(String address, Instant at) throws BackendException {
        OwnerIndex.Match match = directory.view(at).index().find(address);
        if (match instanceof OwnerIndex.Collision) {
            return Resolution.UNKNOWN;
        }
        if (match instanceof OwnerIndex.Hit hit && !hit.holder().isDefault()) {
            Holder holder = hit.holder();
            LocalDate today = LocalDate.ofInstant(at, zone);
            LocalDate end = hit.day().plusDays(holder.validDays());
            if (hit.day().isAfter(today) || !today.isBefore(end)) {
                return Resolution.UNKNOWN;
            }
            return new Resolution.Valid(holder.maildrop(), end.atStartOfDay(zone).toInstant()).withOwner(holder.name());
        }
        return address.endsWith("@" + defaultDomain) ? defaultOwner.resolve(address, at) : Resolution.UNKNOWN;
    }
}
