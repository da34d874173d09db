package org.tempmail.storage;

import java.time.Instant;
import java.util.Optional;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;

/**
 * Asks the dated scheme first and the capability store for what the scheme does not know in DOMAIN: Postfix asks
 * the transport map about every recipient of every domain, and those must neither cost a query nor wait for a
 * store that is down. A disabled address is
 * unknown (it existed, but a sender learns nothing from the answer); one past its expiry is expired; a store that
 * fails is a BackendException, never "unknown". Nothing is cached, so the command line's changes hold at once.
 */
public final class CapabilityResolver implements Resolver, AutoCloseable {
    private final Resolver dated;
    private final String domain;
    private final CapabilityStore store;
    private final String maildrop;

    public CapabilityResolver(Resolver dated, String domain, CapabilityStore store, String maildrop) {
        this.dated = dated;
        this.domain = domain;
        this.store = store;
        this.maildrop = maildrop;
    }

    @Override
    public Resolution resolve(String address, Instant at) throws BackendException {
        Resolution first = dated.resolve(address, at);
        if (!(first instanceof Resolution.Unknown)) {
            return first;
        }
        Optional<Addresses.Parts> parts = Addresses.split(address);
        if (parts.isEmpty() || !parts.get().domain().equalsIgnoreCase(domain)) {
            return Resolution.UNKNOWN;
        }
        Optional<Capability> found;
        try {
            found = store.find(parts.get().localPart(), parts.get().domain());
        } catch (StoreException e) {
            throw new BackendException("capability addresses: " + e.getMessage(),
                        "capability addresses unavailable", e);
        }
        if (found.isEmpty() || !found.get().enabled()) {
            return Resolution.UNKNOWN;
        }
        Capability capability = found.get();
        if (capability.isExpiredAt(at)) {
            return new Resolution.Expired(capability.expires().orElseThrow());
        }
        return new Resolution.Valid(capability.target().orElse(maildrop),
                capability.expires().orElse(Resolution.Valid.NO_EXPIRY),
                Optional.of(new Resolution.Capability(capability.address(), capability.note())));
    }

    public CapabilityStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
