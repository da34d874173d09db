package org.tempmail.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.ParseException;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.delivery.SendmailSubmitter;
import org.tempmail.delivery.Spool;
import org.tempmail.handoff.HandoffHandler;
import org.tempmail.handoff.HandoffRequest;
import org.tempmail.resolver.AssembledResolver;

/**
 * Runs the deliveries that deliver processes hand to the server exactly as {@code tempmail deliver} would, with
 * the server's configuration and resolver in force when the delivery starts — the ones its socketmap answers
 * from. A reload meanwhile leaves a delivery under way with what it started with.
 */
final class HandedOffDeliveries implements HandoffHandler {
    private static final String MAIL_CONFIG = "MAIL_CONFIG";

    private final Supplier<ServerState> current;
    private final Map<String, String> environment;
    private final Clock clock;
    private final Consumer<String> log;

    /** {@code log}: the server's log, where the administrator's detail of a failed delivery goes. */
    HandedOffDeliveries(Supplier<ServerState> current, Map<String, String> environment, Clock clock,
            Consumer<String> log) {
        this.log = log;
        this.current = current;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public int deliver(HandoffRequest request, InputStream message, Runnable readWhole, PrintStream out) {
        DeliverCommand command = new DeliverCommand();
        ServerState state = current.get();
        Config config = state.config();
        AssembledResolver resolver = state.resolver();
        try {
            CommandLine line = Main.parser().parse(command.options(), request.arguments().toArray(String[]::new));
            CommonOptions.noArguments(line);
            SendmailSubmitter sendmail = new SendmailSubmitter(config.delivery().sendmail(),
                    config.delivery().sendmailTimeout(), new Spool(config.delivery().spoolDirectory()),
                    sendmailEnvironment(request.mailConfig()), readWhole);
            return DeliverCommand.deliver(DeliverCommand.deliverer(config, resolver, sendmail, clock,
                    Ledgers.ledger(resolver)), line, message, out, detail -> log.accept("deliveries: " + detail));
        } catch (ParseException | UsageException e) {
            out.println(DeliveryOutcome.deferred("4.3.5", "tempmail deliver: " + e.getMessage()
                    + " (see tempmail deliver --help)").statusLine());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            out.println(DeliveryOutcome.deferred("4.3.0", "tempmail deliver: internal error ("
                    + e.getClass().getSimpleName() + ")").statusLine());
            log.accept("deliveries: internal error: " + e);
        }
        return DeliveryOutcome.TEMPORARY_FAILURE;
    }

    /** The server's environment with the MAIL_CONFIG of the deliver process, which names its Postfix instance. */
    private Map<String, String> sendmailEnvironment(String mailConfig) {
        Map<String, String> result = new HashMap<>(environment);
        result.remove(MAIL_CONFIG);
        if (!mailConfig.isEmpty()) {
            result.put(MAIL_CONFIG, mailConfig);
        }
        return result;
    }
}
