package org.tempmail.cli;

import java.util.List;
import org.tempmail.cli.cap.CapCommand;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.owner.OwnerCommand;

/** Every command the tool knows, in the order --help lists them. */
final class Commands {
    private Commands() {
    }

    static List<Command> all() {
        return List.of(
                new AddressesCommand(),
                new CheckCommand(),
                new ServeCommand(),
                new DeliverCommand(),
                new ReplayCommand(),
                new InitCommand(),
                new CapCommand(),
                new OwnerCommand(),
                new PostfixConfigCommand(),
                new PageCommand());
    }
}
