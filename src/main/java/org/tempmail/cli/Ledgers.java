package org.tempmail.cli;

import java.util.Optional;
import org.tempmail.address.BackendException;
import org.tempmail.delivery.CapabilityLedger;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.storage.Addresses;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.Sighting;
import org.tempmail.storage.StoreException;

/** How deliveries to capability addresses are counted, in the store the resolver reads. */
final class Ledgers {
    private Ledgers() {
    }

    /** Counts deliveries to capability addresses in the store the resolver reads. */
    static CapabilityLedger ledger(AssembledResolver resolver) {
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
