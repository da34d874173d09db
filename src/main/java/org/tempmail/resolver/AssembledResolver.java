package org.tempmail.resolver;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tempmail.address.AddressForm;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.owners.OwnerDirectory;
import org.tempmail.storage.Capability;
import org.tempmail.storage.CapabilityResolver;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;
import org.tempmail.storage.StoreException;

/**
 * The one resolver every command and the server ask: the owners' and tempmail.cf's dated addresses, then the
 * capability addresses. An address it cannot place while the owners cannot be read is "try later": it may be
 * the address of an owner added or changed meanwhile. Close it to release database connections.
 */
public final class AssembledResolver implements Resolver, AutoCloseable {
    private final CapabilityResolver resolver;
    private final OwnerDirectory directory;
    private final CapabilityStore store;
    private final AddressForm form;
    private final AddressSettings settings;
    private final String domain;
    private final Optional<String> maildropDomain;

    AssembledResolver(CapabilityResolver resolver, OwnerDirectory directory, CapabilityStore store,
            AddressForm form, AddressSettings settings, Optional<String> maildropDomain) {
        this.resolver = resolver;
        this.directory = directory;
        this.store = store;
        this.form = form;
        this.settings = settings;
        this.domain = settings.domain().toLowerCase(Locale.ROOT);
        this.maildropDomain = maildropDomain;
    }

    @Override
    public Resolution resolve(String address, Instant at) throws BackendException {
        Resolution found = resolver.resolve(address, at);
        if (found instanceof Resolution.Unknown) {
            Optional<String> asked = domainOf(address).filter(d -> !maildropDomain.equals(Optional.of(d)));
            if (asked.isPresent()) {
                OwnerDirectory.View view = directory.view(at);
                if (view.staleBecause().isPresent() && mayBeAnOwners(asked.get(), view)) {
                    throw new BackendException(view.staleBecause().get(), "owner addresses unavailable", null);
                }
            }
        }
        return found;
    }

    private Optional<String> domainOf(String address) {
        return form.read(address).map(reading -> reading.address().substring(reading.address().lastIndexOf('@') + 1));
    }

    /**
     * Of DOMAIN or a domain owners use; while no owners were read yet, of any domain (but MAILDROP's, never a
     * temporary one, so that deliveries, which ask about it to rule out a loop, go on).
     */
    private boolean mayBeAnOwners(String askedDomain, OwnerDirectory.View view) {
        return !view.read() || askedDomain.equals(domain) || view.index().domains().contains(askedDomain);
    }

    /** See {@link CapabilityResolver#disabled}. */
    public Optional<Capability> disabled(String address) throws BackendException {
        return resolver.disabled(address);
    }

    /**
     * The disabled owner whose dated address ADDRESS is at {@code at} (read as {@link #resolve} reads it), for a
     * person asking why it is unknown; a sender never hears of it. Reads every owner: for commands, not lookups.
     */
    public Optional<Owner> disabledOwner(String address, Instant at) throws BackendException {
        Optional<AddressForm.Reading> reading = form.read(address);
        if (reading.isEmpty()) {
            return Optional.empty();
        }
        List<String> asked = new ArrayList<>(List.of(reading.get().address()));
        reading.get().baseAddress().ifPresent(asked::add);
        LocalDate today = LocalDate.ofInstant(at, settings.zone());
        try {
            for (Owner owner : store.owners().list()) {
                if (!owner.enabled() && OwnerAddresses.validAddresses(owner, settings, today).stream()
                        .anyMatch(asked::contains)) {
                    return Optional.of(owner);
                }
            }
        } catch (StoreException e) {
            throw new BackendException("owners: " + e.getMessage(), "owner addresses unavailable", e);
        }
        return Optional.empty();
    }

    public CapabilityStore store() {
        return store;
    }

    public OwnerStore owners() {
        return store.owners();
    }

    /** Stops rebuilding the owner index, leaving the store open (it may serve a successor). */
    public void stopRefreshing() {
        directory.close();
    }

    @Override
    public void close() {
        directory.close();
        store.close();
    }
}
