package org.tempmail.cli.owner;

import java.util.List;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommandGroup;

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
    public List<Command> members() {
        return members;
    }
}
