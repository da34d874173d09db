package org.tempmail.cli.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigException;
import org.tempmail.config.ConfigLoader;

/** What a command runs with: its streams, environment, clock and the configuration file to use. */
public final class Invocation {
    private final String configOption;
    private final Map<String, String> environment;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final List<String> arguments;

    public Invocation(String configOption, Map<String, String> environment, InputStream in, PrintStream out,
            PrintStream err, Clock clock) {
        this(configOption, environment, in, out, err, clock, List.of());
    }

    private Invocation(String configOption, Map<String, String> environment, InputStream in, PrintStream out,
            PrintStream err, Clock clock, List<String> arguments) {
        this.arguments = arguments;
        this.configOption = configOption;
        this.environment = environment;
        this.in = in;
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    public Invocation withConfigOption(String option) {
        return option == null ? this : new Invocation(option, environment, in, out, err, clock, arguments);
    }

    /** With the command's own arguments, for failures reported before they could be parsed. */
    public Invocation withArguments(List<String> commandArguments) {
        return new Invocation(configOption, environment, in, out, err, clock, List.copyOf(commandArguments));
    }

    /** The command's arguments as given, after the command's name. */
    public List<String> arguments() {
        return arguments;
    }

    public Path configPath() {
        return ConfigLoader.locate(configOption, environment);
    }

    /** Loads the configuration and prints its warnings to stderr. */
    public Config loadConfig() throws ConfigException {
        Config config = ConfigLoader.load(configPath());
        for (String warning : config.warnings()) {
            err.println("tempmail: warning: " + warning);
        }
        return config;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Clock clock() {
        return clock;
    }
}
