package org.tempmail.cli;

import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.Config;
import org.tempmail.storage.CapabilityResolver;
import org.tempmail.storage.CapabilityStore;

/** The one place commands get their resolver from, so check, serve, deliver and replay answer alike. */
final class Resolvers {
    private Resolvers() {
    }

    /** The dated scheme, then the capability addresses in DATABASE. Close it to release database connections. */
    static CapabilityResolver create(Config config) {
        return new CapabilityResolver(DatedAddressResolver.from(config.addresses()),
                CapabilityStore.open(config.database()), config.addresses().maildrop());
    }
}
