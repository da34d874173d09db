package org.tempmail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingOptionException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommandGroup;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.ConfigException;
import org.tempmail.delivery.DeliveryOutcome;

/** The tempmail tool: global options, then one command. */
public final class Main {
    private static final String DEFAULT_COMMAND = "addresses";
    private static final String DELIVER = "deliver";

    private final List<Command> commands;
    private final Invocation base;

    Main(List<Command> commands, Invocation base) {
        this.commands = commands;
        this.base = base;
    }

    public static void main(String[] args) {
        Optional<Integer> handedOff = DeliverShortcut.attempt(args, System.getenv(), System.in, System.out,
                System.err);
        int status;
        if (handedOff.isPresent()) {
            status = handedOff.get();
        } else {
            Invocation invocation = new Invocation(null, System.getenv(), System.in, System.out, System.err,
                    Clock.systemUTC());
            status = new Main(Commands.all(), invocation).run(args);
        }
        System.out.flush();
        System.exit(status);
    }

    /** Runs the tool with the given arguments and returns the exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
            Clock clock) {
        return new Main(Commands.all(), new Invocation(null, env, in, out, err, clock)).run(args);
    }

    int run(String[] args) {
        CommandLine global;
        try {
            global = parser().parse(globalOptions(), args, true);
        } catch (ParseException e) {
            return usageError(args, e.getMessage());
        }
        if (global.hasOption("version")) {
            base.out().println("tempmail " + version());
            return ExitStatus.OK;
        }
        if (global.hasOption("help")) {
            printToolHelp();
            return ExitStatus.OK;
        }
        List<String> rest = global.getArgList();
        String name = rest.isEmpty() ? DEFAULT_COMMAND : rest.get(0);
        Optional<Command> command = commands.stream().filter(c -> c.name().equals(name)).findFirst();
        if (command.isEmpty()) {
            return usageError(args, "unknown " + (name.startsWith("-") ? "option" : "command") + " \"" + name + "\"");
        }
        String[] commandArgs = rest.isEmpty() ? new String[0] : rest.subList(1, rest.size()).toArray(String[]::new);
        Command chosen = command.get();
        if (chosen instanceof CommandGroup group && commandArgs.length > 0) {
            Optional<Command> member = group.member(commandArgs[0]);
            if (member.isPresent()) {
                chosen = member.get();
                commandArgs = Arrays.copyOfRange(commandArgs, 1, commandArgs.length);
            }
        }
        return runCommand(chosen, base.withConfigOption(global.getOptionValue("config")), commandArgs);
    }

    private int runCommand(Command command, Invocation given, String[] args) {
        String prefix = "tempmail " + command.name();
        Invocation invocation = given.withArguments(Arrays.asList(args));
        Options options = withCommonOptions(command.options());
        try {
            CommandLine line = parser().parse(options, args);
            if (line.hasOption("help")) {
                printCommandHelp(command, options);
                return ExitStatus.OK;
            }
            return command.run(invocation.withConfigOption(line.getOptionValue("config")), line);
        } catch (ParseException | UsageException e) {
            if (e instanceof MissingOptionException
                    && (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h"))) {
                // --help must work without the options the command requires.
                printCommandHelp(command, options);
                return ExitStatus.OK;
            }
            String message = prefix + ": " + e.getMessage() + " (see " + prefix + " --help)";
            command.reportFailure(invocation, Command.Failure.USAGE, message, message);
        } catch (ConfigException e) {
            command.reportFailure(invocation, Command.Failure.CONFIGURATION, prefix + ": " + e.getMessage(),
                    prefix + ": " + e.publicReason());
        } catch (Exception | Error e) { // an Error too: a deliver that dies with exit 1 would bounce
            command.reportFailure(invocation, Command.Failure.INTERNAL, prefix + ": internal error: " + e,
                    prefix + ": internal error (" + e.getClass().getSimpleName() + ")");
        }
        return command.failureStatus();
    }

    /**
     * Options only by their full names: bin/tempmail finds the command by skipping --config and its value, and an
     * abbreviation it cannot see (--conf FILE) would hide a deliver from its exit-status mapping.
     */
    static DefaultParser parser() {
        return DefaultParser.builder().setAllowPartialMatching(false).build();
    }

    /**
     * A command line that names no command. When it holds the word deliver it is most likely a master.cf entry with
     * a typo, run by pipe(8), where exit 2 would bounce the mail: that defers instead.
     */
    private int usageError(String[] args, String message) {
        String reason = "tempmail: " + message + " (see tempmail --help)";
        if (Arrays.asList(args).contains(DELIVER)) {
            base.out().println(DeliveryOutcome.deferred("4.3.5", reason).statusLine());
            return DeliveryOutcome.TEMPORARY_FAILURE;
        }
        base.err().println(reason);
        return ExitStatus.USAGE;
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    private static Options globalOptions() {
        return withCommonOptions(new Options())
                .addOption(Option.builder().longOpt("version").desc("print the version").get());
    }

    private static Options withCommonOptions(Options options) {
        Options all = new Options();
        options.getOptions().forEach(all::addOption);
        return all
                .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                        .desc("the configuration (default: $TEMPMAIL_CONFIG, else /etc/postfix/tempmail.cf)").get())
                .addOption(Option.builder("h").longOpt("help").desc("show this help").get());
    }

    private void printToolHelp() {
        printHelp("tempmail [--config FILE] [COMMAND [OPTIONS] [ARGUMENTS]]",
                "Temporary addresses for Postfix.", globalOptions(), "");
        base.out().println(" Commands (tempmail COMMAND --help tells more):");
        for (Command command : commands) {
            base.out().printf("   %-16s %s%n", command.name(), command.summary());
        }
        base.out().println();
        base.out().println(" Without a command, tempmail prints the addresses valid now.");
    }

    private void printCommandHelp(Command command, Options options) {
        printHelp("tempmail [--config FILE] " + command.name() + " [OPTIONS] " + command.arguments(),
                command.summary(), options, "");
        if (!command.details().isEmpty()) {
            base.out().println(command.details());
        }
    }

    private void printHelp(String syntax, String header, Options options, String footer) {
        try {
            HelpFormatter.builder().setShowSince(false).setHelpAppendable(new TextHelpAppendable(base.out())).get()
                    .printHelp(syntax, header, options, footer, false);
        } catch (IOException e) {
            base.err().println("tempmail: cannot print help: " + e.getMessage());
        }
    }
}
