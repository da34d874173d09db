package org.tempmail.cli;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;
import org.tempmail.storage.Capability;
import org.tempmail.storage.Owner;

/** Says whether one address is valid, expired, disabled or unknown; exit 0 only when valid. */
final class CheckCommand implements Command {
    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "say whether ADDRESS is valid, expired, disabled or unknown (exit 0 only when valid)";
    }

    @Override
    public String arguments() {
        return "ADDRESS";
    }

    @Override
    public Options options() {
        return new Options().addOption(CommonOptions.at());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException(args.isEmpty() ? "missing ADDRESS" : "expected one ADDRESS, got " + args.size());
        }
        String address = args.get(0);
        Config config = invocation.loadConfig();
        Instant at = CommonOptions.at(line, config, invocation.clock());
        Resolution resolution;
        Optional<Capability> disabled = Optional.empty();
        Optional<Owner> disabledOwner = Optional.empty();
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            resolution = resolver.resolve(address, at);
            if (resolution instanceof Resolution.Unknown) {
                disabled = resolver.disabled(address);
                if (disabled.isEmpty()) {
                    disabledOwner = resolver.disabledOwner(address, at);
                }
            }
        } catch (BackendException e) {
            invocation.err().println("tempmail check: cannot tell: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        if (resolution instanceof Resolution.Valid valid) {
            String until = valid.validUntil().equals(Resolution.Valid.NO_EXPIRY) ? "valid"
                    : "valid until " + CommonOptions.show(valid.validUntil(), config);
            String capability = valid.capability()
                    .map(c -> ", capability address" + (c.note().isEmpty() ? "" : " (" + c.note() + ")"))
                    .orElse("");
            String extension = valid.extension().map(e -> ", extension \"" + e + "\"").orElse("");
            String owner = valid.owner().map(name -> ", owner " + name).orElse("");
            invocation.out().println(address + ": " + until + capability + extension + owner + ", delivered to "
                    + valid.target());
            return ExitStatus.OK;
        }
        if (resolution instanceof Resolution.Expired expired) {
            invocation.out().println(address + ": expired since " + CommonOptions.show(expired.since(), config));
        } else if (disabled.isPresent()) {
            invocation.out().println(address + ": " + disabled(disabled.get()));
        } else if (disabledOwner.isPresent()) {
            String name = disabledOwner.get().name();
            invocation.out().println(address + ": address of owner " + name + ", who is disabled: mail to it is "
                    + "refused as unknown (tempmail owner enable " + name + ")");
        } else {
            boolean ownDomain = address.toLowerCase(Locale.ROOT).endsWith("@" + config.addresses().domain());
            invocation.out().println(address + ": unknown" + (ownDomain && config.addresses().defaultOwner().isEmpty()
                    ? " (tempmail.cf has no owner of its own: no SHARED_SECRET, no MAILDROP)" : ""));
        }
        return ExitStatus.NEGATIVE;
    }

    /** What an administrator needs to know of a capability address refused because it or its owner is disabled. */
    private static String disabled(Capability capability) {
        String note = capability.note().isEmpty() ? "" : " (" + capability.note() + ")";
        if (!capability.enabled()) {
            return "disabled capability address" + note;
        }
        String name = capability.owner().orElseThrow().name();
        return "capability address" + note + " of owner " + name + ", who is disabled: mail to it is refused as "
                + "unknown (tempmail owner enable " + name + ")";
    }
}
