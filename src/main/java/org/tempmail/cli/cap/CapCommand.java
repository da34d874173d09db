package org.tempmail.cli.cap;

import java.util.List;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommandGroup;

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
    public List<Command> members() {
        return members;
    }
}
