package org.tempmail.owners;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
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
    private final Optional<Resolver> defaultOwner;
    private final String defaultDomain;
    private final ZoneId zone;
    private final boolean readOwnersLast;
    private final Optional<String> maildropDomain;

    /**
     * {@code readOwnersLast}: for a command that runs once, such as deliver, which should not open the database
     * for tempmail.cf's owner's addresses: those are answered before the owners are read, and MAILDROP's domain
     * (never an owner's: `owner add` refuses it) is nobody's. The server reads them first, so that a local part
     * shared with an owner is refused at RCPT. {@code defaultOwner} and its {@code maildropDomain} are empty
     * for a tempmail.cf without an owner of its own: then DOMAIN's addresses are only the owners'.
     */
    public OwnersResolver(OwnerDirectory directory, Optional<Resolver> defaultOwner, String defaultDomain,
            ZoneId zone, boolean readOwnersLast, Optional<String> maildropDomain) {
        this.directory = directory;
        this.defaultOwner = defaultOwner;
        this.defaultDomain = defaultDomain.toLowerCase(Locale.ROOT);
        this.zone = zone;
        this.readOwnersLast = readOwnersLast;
        this.maildropDomain = maildropDomain;
    }

    @Override
    public Resolution resolve(String address, Instant at) throws BackendException {
        if (readOwnersLast) {
            if (defaultOwner.isPresent() && address.endsWith("@" + defaultDomain)) {
                Resolution found = defaultOwner.get().resolve(address, at);
                if (found instanceof Resolution.Valid) {
                    return found;
                }
            }
            if (maildropDomain.isPresent() && address.endsWith("@" + maildropDomain.get())) {
                return Resolution.UNKNOWN;
            }
        }
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
        return defaultOwner.isPresent() && address.endsWith("@" + defaultDomain)
                ? defaultOwner.get().resolve(address, at) : Resolution.UNKNOWN;
    }
}
