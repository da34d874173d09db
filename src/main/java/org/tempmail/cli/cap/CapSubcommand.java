package org.tempmail.cli.cap;

import java.time.Instant;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.Addresses;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.StoreException;

/** What the cap subcommands share: the store, the ADDRESS argument and one-line failures with exit 2. */
abstract class CapSubcommand implements Command {
    /** A request the store cannot satisfy: an unknown or duplicate address. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    @Override
    public final int run(Invocation invocation, CommandLine line) throws Exception {
        Config config = invocation.loadConfig();
        try (CapabilityStore store = CapabilityStore.open(config.database())) {
            return run(invocation, line, config, store, invocation.clock().instant());
        } catch (StoreException | Refused e) {
            invocation.err().println("tempmail " + name() + ": " + e.getMessage());
            return ExitStatus.USAGE;
        }
    }

    abstract int run(Invocation invocation, CommandLine line, Config config, CapabilityStore store, Instant now)
            throws Exception;

    /** The one argument of a command that takes one. */
    static String single(CommandLine line, String what) throws UsageException {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException(args.isEmpty() ? "missing " + what : "expected one " + what + ", got "
                    + args.size() + " (quote text with spaces)");
        }
        return args.get(0);
    }

    /** ADDRESS as given: local@domain, or a bare local part in DOMAIN. */
    static Addresses.Parts address(String text, Config config) {
        return Addresses.split(text).orElseGet(() -> new Addresses.Parts(text, config.addresses().domain()));
    }
}
