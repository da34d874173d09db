package org.tempmail.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tempmail.config.ConfigException;
import org.tempmail.config.ConfigFile;
import org.tempmail.config.ConfigLoader;
import org.tempmail.config.Key;
import org.tempmail.handoff.HandoffClient;
import org.tempmail.handoff.HandoffRequest;

/**
 * A deliver run by pipe(8) hands its message to the running server when DELIVERY_SOCKET is set: the server has
 * long finished starting up, so this process only copies bytes. Anything unusual — other options, no server, a
 * server with another configuration — leaves the delivery to the ordinary command, in this process.
 */
final class DeliverShortcut {
    private static final String DELIVER = "deliver";
    private static final String CONFIG = "--config";
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> OWN_HANDLING = List.of(CONFIG, "--help", "-h");

    private DeliverShortcut() {
    }

    /** The exit status of a delivery the server made, or empty when this process must deliver itself. */
    static Optional<Integer> attempt(String[] args, Map<String, String> environment, InputStream in,
            PrintStream out, PrintStream err) {
        int command = commandIndex(args);
        if (command < 0) {
            return Optional.empty();
        }
        List<String> arguments = Arrays.asList(args).subList(command + 1, args.length);
        for (String argument : arguments) {
            if (OWN_HANDLING.contains(argument) || argument.startsWith(CONFIG + "=")) {
                return Optional.empty();
            }
        }
        // Also when DELIVERY_SOCKET is unset: delivering in this process needs the same security providers.
        HandoffClient.warmUp();
        Path config = ConfigLoader.locate(configOption(args, command), environment).toAbsolutePath().normalize();
        Optional<Path> socket = deliverySocket(config);
        if (socket.isEmpty()) {
            return Optional.empty();
        }
        HandoffRequest request = new HandoffRequest(config.toString(),
                environment.getOrDefault("MAIL_CONFIG", ""), arguments);
        Optional<HandoffClient.Outcome> outcome = new HandoffClient(socket.get(), GREETING_TIMEOUT)
                .deliver(request, in);
        if (outcome.isEmpty()) {
            return Optional.empty();
        }
        out.print(outcome.get().output());
        if (!outcome.get().detail().isEmpty()) {
            err.println(outcome.get().detail());
        }
        return Optional.of(outcome.get().status());
    }

    /** Where "deliver" is when the global options are at most --config FILE; -1 for any other shape. */
    private static int commandIndex(String[] args) {
        if (args.length >= 1 && args[0].equals(DELIVER)) {
            return 0;
        }
        if (args.length >= 2 && args[0].startsWith(CONFIG + "=") && args[1].equals(DELIVER)) {
            return 1;
        }
        if (args.length >= 3 && args[0].equals(CONFIG) && args[2].equals(DELIVER)) {
            return 2;
        }
        return -1;
    }

    private static String configOption(String[] args, int command) {
        return switch (command) {
            case 1 -> args[0].substring(CONFIG.length() + 1);
            case 2 -> args[1];
            default -> null;
        };
    }

    /**
     * Only this key is read here; a configuration with errors is left to the ordinary command to report. (No
     * lambdas on this path: the first one costs a process milliseconds of start-up.)
     */
    private static Optional<Path> deliverySocket(Path config) {
        Optional<ConfigFile.Entry> entry;
        try {
            entry = ConfigFile.read(config).get(Key.DELIVERY_SOCKET.name());
        } catch (ConfigException e) {
            return Optional.empty();
        }
        if (entry.isEmpty() || !entry.get().value().startsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(entry.get().value()));
    }
}
