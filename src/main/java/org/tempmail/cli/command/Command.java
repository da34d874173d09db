package org.tempmail.cli.command;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One sub-command of the tempmail tool. */
public interface Command {
    String name();

    /** One line for the tool's --help. */
    String summary();

    /** Further explanation printed after the options in this command's --help; empty for none. */
    default String details() {
        return "";
    }

    /** The arguments after the options, as shown in this command's --help; none by default. */
    default String arguments() {
        return "";
    }

    /** This command's options, none by default; --config and --help are added by {@link Main}. */
    default Options options() {
        return new Options();
    }

    /** Runs the command and returns its exit status. */
    int run(Invocation invocation, CommandLine line) throws Exception;

    /**
     * The exit status for a usage or configuration error, or any other failure. Most commands answer a person
     * with {@link ExitStatus#USAGE}; a command run by Postfix may need another.
     */
    default int failureStatus() {
        return ExitStatus.USAGE;
    }

    /** What went wrong when a command fails before or outside its own handling. */
    enum Failure { USAGE, CONFIGURATION, INTERNAL }

    /**
     * Prints a one-line failure message (both already prefixed with the command's name): {@code message} with
     * every detail, which a person reads on stderr; {@code publicReason} without paths or values, for a command
     * run by Postfix, whose output reaches senders.
     */
    default void reportFailure(Invocation invocation, Failure kind, String message, String publicReason) {
        invocation.err().println(message);
    }
}
