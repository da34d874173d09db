package org.tempmail.cli.owner;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.storage.OwnerStore;

/** tempmail owner remove: the owner and its capability addresses, for good. */
final class OwnerRemoveCommand extends OwnerSubcommand {
    @Override
    public String name() {
        return "owner remove";
    }

    @Override
    public String summary() {
        return "remove the owner and its capability addresses for good (needs --yes)";
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt("yes")
                .desc("really remove: there is no undo (owner disable can be undone)").get());
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        String name = name(line);
        owners.get(name);
        if (!line.hasOption("yes")) {
            throw new UsageException("removing owner " + name + " deletes its capability addresses too and cannot "
                    + "be undone: add --yes (or use owner disable)");
        }
        int capabilities = owners.remove(name, invocation.clock().instant());
        invocation.out().println("owner " + name + ": removed, with " + capabilities + " capability address"
                + (capabilities == 1 ? "" : "es"));
        return ExitStatus.OK;
    }
}
