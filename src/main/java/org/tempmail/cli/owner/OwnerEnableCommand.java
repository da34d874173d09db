package org.tempmail.cli.owner;

import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.owners.OwnerDirectory;
import org.tempmail.storage.OwnerStore;

/** tempmail owner disable / enable: whether the owner's addresses, dated and capability, take mail. */
final class OwnerEnableCommand extends OwnerSubcommand {
    private final boolean enable;

    OwnerEnableCommand(boolean enable) {
        this.enable = enable;
    }

    @Override
    public String name() {
        return enable ? "owner enable" : "owner disable";
    }

    @Override
    public String summary() {
        return enable ? "take mail for the owner's addresses again"
                : "refuse mail to all the owner's addresses (550 at RCPT) until enabled";
    }

    @Override
    int run(Invocation invocation, CommandLine line, Config config, OwnerStore owners) throws Exception {
        String name = name(line);
        owners.setEnabled(name, enable);
        invocation.out().println("owner " + name + ": " + (enable ? "enabled" : "disabled") + "; the server follows "
                + "within " + OwnerDirectory.POLL.toSeconds() + " s");
        return ExitStatus.OK;
    }
}
