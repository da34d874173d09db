package org.tempmail.cli.owner;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.OwnerStore;
import org.tempmail.storage.StoreException;

/** What the owner subcommands share: the store, the NAME argument and one-line failures with exit 2. */
abstract class OwnerSubcommand implements Command {
    @Override
    public final int run(Invocation invocation, CommandLine line) throws Exception {
        Config config = invocation.loadConfig();
        try (CapabilityStore store = CapabilityStore.open(config.database())) {
            store.exposure().ifPresent(warning -> invocation.err().println("tempmail: warning: " + warning));
            return run(invocation, line, config, store.owners());
        } catch (StoreException e) {
            invocation.err().println("tempmail " + name() + ": " + e.getMessage());
            return ExitStatus.USAGE;
        }
    }

    abstract int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception;

    /** The NAME argument of a command that takes one. */
    static String name(CommandLine line) throws UsageException {
        List<String> args = line.getArgList();
        if (args.size() != 1) {
            throw new UsageException(args.isEmpty() ? "missing NAME" : "expected one NAME, got " + args.size());
        }
        return args.get(0);
    }

    @Override
    public String arguments() {
        return "NAME";
    }
}
