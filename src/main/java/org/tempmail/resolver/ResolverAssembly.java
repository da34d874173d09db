package org.tempmail.resolver;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.tempmail.address.AddressForm;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.address.Resolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.Config;
import org.tempmail.config.DefaultOwner;
import org.tempmail.owners.OwnerDirectory;
import org.tempmail.owners.OwnersResolver;
import org.tempmail.storage.CapabilityResolver;
import org.tempmail.storage.CapabilityStore;

/** The one place the resolver is put together, so check, serve, deliver and replay answer alike. */
public final class ResolverAssembly {
    private ResolverAssembly() {
    }

    /** For a command that runs once, on a store of its own. */
    public static AssembledResolver create(Config config) {
        return create(config, CapabilityStore.open(config.database()));
    }

    /** For a command that runs once, on a store already open; the owners are read at the first lookup. */
    public static AssembledResolver create(Config config, CapabilityStore store) {
        return assemble(config, store, OwnerDirectory.once(store.owners(), config.addresses(), Clock.systemUTC()),
                true);
    }

    /** For the server: the owner index is built now and kept current until the resolver is closed. */
    public static AssembledResolver serving(Config config, CapabilityStore store, Clock clock,
            Consumer<String> log) {
        return assemble(config, store, OwnerDirectory.serving(store.owners(), config.addresses(), clock, log),
                false);
    }

    private static AssembledResolver assemble(Config config, CapabilityStore store, OwnerDirectory directory,
            boolean readOwnersLast) {
        AddressSettings addresses = config.addresses();
        String domain = addresses.domain().toLowerCase(Locale.ROOT);
        AddressForm form = new AddressForm(addresses.recipientDelimiters());
        Optional<Resolver> defaultOwner = addresses.defaultOwner()
                .map(owner -> DatedAddressResolver.from(addresses, owner));
        Optional<String> maildropDomain = addresses.maildropDomain();
        OwnersResolver dated = new OwnersResolver(directory, defaultOwner, domain, addresses.zone(), readOwnersLast,
                maildropDomain);
        Predicate<String> served = asked -> asked.equals(domain)
                || !maildropDomain.equals(Optional.of(asked)) && directory.domains().contains(asked);
        Optional<String> maildrop = addresses.defaultOwner().map(DefaultOwner::maildrop);
        return new AssembledResolver(new CapabilityResolver(dated, form, served, store, maildrop), directory, store,
                form, addresses, maildropDomain);
    }
}
