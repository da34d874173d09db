package org.tempmail.cli.cap;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommandGroup;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;

/** tempmail cap: the capability addresses kept in DATABASE. */
public final class CapCommand implements CommandGroup {
    private final List<Command> members = List.of(
            new CapCreateCommand(),
            new CapListCommand(false),
            new CapShowCommand(),
            new CapListCommand(true),
            new CapEnableCommand(false),
            new CapEnableCommand(true),
            new CapImportCommand());

    @Override
    public String name() {
        return "cap";
    }

    @Override
    public String summary() {
        return "capability addresses, one per correspondent: create, list, show, search, disable, enable, "
                + "import-mailcap";
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
        invocation.out().println("Subcommands (tempmail cap SUBCOMMAND --help tells more):");
        for (Command member : members) {
            invocation.out().printf("  %-26s %s%n", member.name() + " " + member.arguments(), member.summary());
        }
        return ExitStatus.OK;
    }
}
