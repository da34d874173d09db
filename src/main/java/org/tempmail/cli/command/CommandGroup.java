package org.tempmail.cli.command;

import java.util.List;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;

/**
 * A command made of sub-commands ({@code tempmail cap create ...}). Each member is a Command whose name is the
 * group's name and its own ("cap create"), so it gets its own options, --help and error prefix.
 */
public interface CommandGroup extends Command {
    List<Command> members();

    /** The member called {@code word} after the group's name. */
    default Optional<Command> member(String word) {
        return members().stream().filter(m -> m.name().equals(name() + " " + word)).findFirst();
    }

    @Override
    default String arguments() {
        return "SUBCOMMAND ...";
    }

    /** The group's name alone lists its members; a word that names none is a usage error. */
    @Override
    default int run(Invocation invocation, CommandLine line) throws UsageException {
        if (!line.getArgList().isEmpty()) {
            throw new UsageException("unknown subcommand \"" + line.getArgList().get(0) + "\"");
        }
        invocation.out().println("Subcommands (tempmail " + name() + " SUBCOMMAND --help tells more):");
        for (Command member : members()) {
            invocation.out().printf("  %-26s %s%n", member.name() + " " + member.arguments(), member.summary());
        }
        return ExitStatus.OK;
    }
}
