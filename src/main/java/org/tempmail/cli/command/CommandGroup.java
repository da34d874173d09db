package org.tempmail.cli.command;

import java.util.List;
import java.util.Optional;

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
}
