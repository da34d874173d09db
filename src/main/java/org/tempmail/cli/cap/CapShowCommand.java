package org.tempmail.cli.cap;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.storage.Addresses;
import org.tempmail.storage.Capability;
import org.tempmail.storage.CapabilityStore;

/** tempmail cap show ADDRESS: everything kept about one address. */
final class CapShowCommand extends CapSubcommand {
    @Override
    public String name() {
        return "cap show";
    }

    @Override
    public String summary() {
        return "everything kept about ADDRESS (a bare local part means one in DOMAIN)";
    }

    @Override
    public String arguments() {
        return "ADDRESS";
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, CapabilityStore store, Instant now)
            throws Exception {
        String text = single(line, "ADDRESS");
        Addresses.Parts parts = address(text, config);
        Capability found = store.find(parts.localPart(), parts.domain())
                .orElseThrow(() -> new Refused("no capability address " + parts.localPart() + "@" + parts.domain()));
        ZoneId zone = config.addresses().zone();
        String maildrop = config.addresses().defaultOwner().map(owner -> owner.maildrop() + " (the MAILDROP)")
                .orElse("none: tempmail.cf sets no MAILDROP, so its mail waits");
        invocation.out().printf("address:      %s%n", found.address());
        invocation.out().printf("state:        %s%n", CapabilityFormats.state(found, now));
        invocation.out().printf("target:       %s%n", found.target()
                .or(() -> found.owner().map(owner -> owner.maildrop() + " (owner " + owner.name() + "'s maildrop)"))
                .orElse(maildrop));
        invocation.out().printf("note:         %s%n", found.note());
        invocation.out().printf("created:      %s%n", CapabilityFormats.time(Optional.of(found.created()), zone));
        invocation.out().printf("expires:      %s%n", found.expires().isEmpty() ? "never"
                : CapabilityFormats.time(found.expires(), zone));
        invocation.out().printf("messages:     %d%n", found.messageCount());
        invocation.out().printf("first sender: %s%n", found.firstSender().orElse("-"));
        invocation.out().printf("first seen:   %s%n", CapabilityFormats.time(found.firstSeen(), zone));
        invocation.out().printf("last seen:    %s%n", CapabilityFormats.time(found.lastSeen(), zone));
        return ExitStatus.OK;
    }
}
