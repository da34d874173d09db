package org.tempmail.cli.owner;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommandGroup;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;

/** tempmail owner: the owners kept in DATABASE, each with its own secret, maildrop and addresses. */
public final class OwnerCommand implements CommandGroup {
    private final List<Command> members = List.of(
            new OwnerAddCommand(),
            new OwnerListCommand(),
            new OwnerShowCommand(),
            new OwnerEnableCommand(false),
            new OwnerEnableCommand(true),
            new OwnerRemoveCommand(),
            new OwnerRotateCommand(),
            new OwnerImportCommand());

    @Override
    public String name() {
        return "owner";
    }

    @Override
    public String summary() {
        return "owners of their own addresses on this server: add, list, show, disable, enable, remove, "
                + "rotate-secret, import";
    }

    @Override
    public String arguments() {
        return "SUBCOMMAND ...";
    }

    @Override
    public List<Command> members() {
        return members;
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws UsageException {
        if (!line.getArgList().isEmpty()) {
            throw new UsageException("unknown subcommand \"" + line.getArgList().get(0) + "\"");
        }
        invocation.out().println("Subcommands (tempmail owner SUBCOMMAND --help tells more):");
        for (Command member : members) {
            invocation.out().printf("  %-26s %s%n", member.name() + " " + member.arguments(), member.summary());
        }
        return ExitStatus.OK;
    }
}
