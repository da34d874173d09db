package org.tempmail.cli;

import java.util.Optional;
import org.tempmail.address.AddressForm;
import org.tempmail.address.BackendException;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.Config;
import org.tempmail.storage.CapabilityResolver;
import org.tempmail.delivery.CapabilityLedger;
import org.tempmail.storage.Addresses;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.Sighting;
import org.tempmail.storage.StoreException;

/** The one place commands get their resolver from, so check, serve, deliver and replay answer alike. */
final class Resolvers {
    private Resolvers() {
    }

    /** The dated scheme, then the capability addresses in DATABASE. Close it to release database connections. */
    static CapabilityResolver create(Config config) {
        return create(config, CapabilityStore.open(config.database()));
    }

    /** With a store that is already open, such as the one a running server keeps across reloads. */
    static CapabilityResolver create(Config config, CapabilityStore store) {
        return new CapabilityResolver(DatedAddressResolver.from(config.addresses()),
                new AddressForm(config.addresses().recipientDelimiters()), config.addresses().domain(),
                store, config.addresses().maildrop());
    }

    /** Counts deliveries to capability addresses in the store the resolver reads. */
    static CapabilityLedger ledger(CapabilityResolver resolver) {
        CapabilityStore store = resolver.store();
        return (address, queueId, sender, at) -> {
            Optional<Addresses.Parts> parts = Addresses.split(address);
            if (parts.isEmpty()) {
                return Optional.empty();
            }
            try {
                return store.recordDelivery(parts.get().localPart(), parts.get().domain(), queueId, sender, at)
                        .flatMap(Sighting::firstSender);
            } catch (StoreException e) {
                throw new BackendException("capability addresses: " + e.getMessage(),
                        "capability addresses unavailable", e);
            }
        };
    }
}
