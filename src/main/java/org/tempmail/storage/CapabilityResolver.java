package org.tempmail.storage;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.tempmail.address.AddressForm;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;

/**
 * Asks the dated scheme first and the capability store for what the scheme does not know in the temporary
 * domains: Postfix asks the transport map about every recipient of every domain, and those must neither cost a
 * query nor wait for a store that is down. Every form of an address reads the same ({@link AddressForm}: quoted
 * or not, any case); one with an extension is looked up whole first, then without it, as Postfix does with its
 * own tables (the dated scheme with both forms first). A disabled address, or one of a disabled owner, is unknown
 * (it existed, but a sender learns nothing from the answer); one past its expiry is expired; a store that fails
 * is a BackendException, never "unknown". Nothing is cached, so the command line's changes hold at once.
 */
public final class CapabilityResolver implements Resolver, AutoCloseable {
    private final Resolver dated;
    private final AddressForm form;
    private final Predicate<String> served;
    private final CapabilityStore store;
    private final Optional<String> maildrop;

    public CapabilityResolver(Resolver dated, AddressForm form, String domain, CapabilityStore store,
            String maildrop) {
        this(dated, form, domain.toLowerCase(Locale.ROOT)::equals, store, Optional.of(maildrop));
    }

    /**
     * {@code served}: whether a domain (lowercase) is one of the temporary ones, DOMAIN's or an owner's;
     * {@code maildrop}: MAILDROP, where the addresses of no owner and no target go (empty: tempmail.cf has none).
     */
    public CapabilityResolver(Resolver dated, AddressForm form, Predicate<String> served, CapabilityStore store,
            Optional<String> maildrop) {
        this.dated = dated;
        this.form = form;
        this.served = served;
        this.store = store;
        this.maildrop = maildrop;
    }

    private boolean serves(AddressForm.Reading reading) {
        String address = reading.address();
        return served.test(address.substring(address.lastIndexOf('@') + 1));
    }

    @Override
    public Resolution resolve(String address, Instant at) throws BackendException {
        Optional<AddressForm.Reading> reading = form.read(address);
        if (reading.isEmpty() || !serves(reading.get())) {
            return Resolution.UNKNOWN;
        }
        String whole = reading.get().address();
        Optional<String> base = reading.get().baseAddress();
        // The scheme for both before the store, so that a dated address with an extension neither costs a query
        // nor waits for a store that is down.
        Resolution found = dated.resolve(whole, at);
        if (found instanceof Resolution.Unknown && base.isPresent()) {
            found = withExtension(dated.resolve(base.get(), at), reading.get());
        }
        if (found instanceof Resolution.Unknown) {
            found = fromStore(whole, at);
        }
        if (found instanceof Resolution.Unknown && base.isPresent()) {
            found = withExtension(fromStore(base.get(), at), reading.get());
        }
        return found;
    }

    private static Resolution withExtension(Resolution resolution, AddressForm.Reading reading) {
        return resolution instanceof Resolution.Valid valid ? valid.withExtension(reading.extension()) : resolution;
    }

    /**
     * The capability address kept for ADDRESS, read as {@link #resolve} reads it, when it or its owner is
     * disabled: what a person asking about an address this resolver calls unknown wants to hear (a sender never
     * does).
     */
    public Optional<Capability> disabled(String address) throws BackendException {
        Optional<AddressForm.Reading> reading = form.read(address);
        if (reading.isEmpty() || !serves(reading.get())) {
            return Optional.empty();
        }
        Optional<Capability> found = find(reading.get().address());
        if (found.isEmpty() && reading.get().baseAddress().isPresent()) {
            found = find(reading.get().baseAddress().get());
        }
        return found.filter(capability -> !capability.enabled()
                || capability.owner().filter(owner -> !owner.enabled()).isPresent());
    }

    /** An address already read (unquoted, lowercase, in DOMAIN) among the capability addresses. */
    private Resolution fromStore(String address, Instant at) throws BackendException {
        Optional<Capability> found = find(address);
        if (found.isEmpty() || !found.get().enabled()
                || found.get().owner().filter(owner -> !owner.enabled()).isPresent()) {
            return Resolution.UNKNOWN;
        }
        Capability capability = found.get();
        if (capability.isExpiredAt(at)) {
            return new Resolution.Expired(capability.expires().orElseThrow());
        }
        Optional<Capability.Holder> owner = capability.owner();
        Optional<String> target = capability.target().or(() -> owner.map(Capability.Holder::maildrop))
                .or(() -> maildrop);
        if (target.isEmpty()) {
            // Made while tempmail.cf had a MAILDROP: mail waits (TEMP) until it has one again, rather than bounce.
            throw new BackendException(capability.address() + ": a capability address of no owner and without "
                    + "--target goes to MAILDROP, which tempmail.cf does not set: set SHARED_SECRET_FILE and "
                    + "MAILDROP again, or disable the address (tempmail cap disable)", "capability address unavailable",
                    null);
        }
        return new Resolution.Valid(target.get(), capability.expires().orElse(Resolution.Valid.NO_EXPIRY),
                Optional.of(new Resolution.Capability(capability.address(), capability.note())))
                .withOwner(owner.map(Capability.Holder::name));
    }

    private Optional<Capability> find(String address) throws BackendException {
        Addresses.Parts parts = Addresses.split(address).orElseThrow();
        try {
            return store.find(parts.localPart(), parts.domain());
        } catch (StoreException e) {
            throw new BackendException("capability addresses: " + e.getMessage(),
                        "capability addresses unavailable", e);
        }
    }

    public CapabilityStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}
