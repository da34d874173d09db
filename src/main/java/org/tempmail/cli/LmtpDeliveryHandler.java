package org.tempmail.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.tempmail.config.Config;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.delivery.DeliveryRequest;
import org.tempmail.delivery.MessageHead;
import org.tempmail.delivery.PipeFraming;
import org.tempmail.delivery.SendmailSubmitter;
import org.tempmail.delivery.SmtpSubmitter;
import org.tempmail.delivery.Submitter;
import org.tempmail.delivery.Spool;
import org.tempmail.lmtp.server.LmtpDeliveries;
import org.tempmail.lmtp.server.ReceivedMessage;
import org.tempmail.resolver.AssembledResolver;

/**
 * Delivers each recipient of a message taken by LMTP exactly as {@code tempmail deliver} does for pipe(8): the
 * message framed as pipe(8) frames it, the queue id its top Received field names, the same Deliverer, the
 * configuration and resolver in force when the delivery starts. It resubmits with SENDMAIL, or over SMTP to the
 * reinjection smtpd LMTP_REINJECT names.
 */
final class LmtpDeliveryHandler implements LmtpDeliveries {
    private final Supplier<ServerState> current;
    private final Map<String, String> environment;
    private final Clock clock;
    private final Runnable refresh;
    private SmtpSubmitter reinjection;
    private Spool spool;

    /** {@code refresh}: brings the configuration up to date with its file, before each message. */
    LmtpDeliveryHandler(Supplier<ServerState> current, Runnable refresh, Map<String, String> environment,
            Clock clock) {
        this.current = current;
        this.refresh = refresh;
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    @Override
    public void messageStarts() {
        // Judged by the file as it is now, as a handed-over delivery is, not as the last poll saw it.
        refresh.run();
    }

    @Override
    public Path newMessageFile() throws IOException {
        return spool(current.get().config().delivery().spoolDirectory()).newFile();
    }

    /** The spool, kept while the configuration names the same directory, so that it is checked now and then. */
    private synchronized Spool spool(Path directory) {
        if (spool == null || !spool.directory().equals(directory)) {
            spool = new Spool(directory);
        }
        return spool;
    }

    /** The connections to the reinjection listener, kept while the configuration names the same one. */
    private synchronized SmtpSubmitter reinjection(Config config) {
        String host = config.lmtp().reinjectHost().orElseThrow();
        int port = config.lmtp().reinjectPort();
        Duration timeout = config.delivery().sendmailTimeout();
        if (reinjection == null || !reinjection.sameListener(host, port, timeout)) {
            if (reinjection != null) {
                reinjection.close();
            }
            reinjection = new SmtpSubmitter(host, port, timeout, config.lmtp().maxSessions());
        }
        return reinjection;
    }

    @Override
    public DeliveryOutcome deliver(String sender, String recipient, ReceivedMessage message) {
        ServerState state = current.get();
        Config config = state.config();
        AssembledResolver resolver = state.resolver();
        Submitter submitter = config.lmtp().reinjectHost().isPresent() ? reinjection(config)
                : new SendmailSubmitter(config.delivery().sendmail(), config.delivery().sendmailTimeout(),
                        spool(config.delivery().spoolDirectory()), environment);
        try (InputStream content = new BufferedInputStream(message.open())) {
            MessageHead head = MessageHead.read(PipeFraming.message(sender, recipient, content));
            if (PipeFraming.deliveredBefore(head, recipient)) {
                return new DeliveryOutcome(DeliveryOutcome.DATA_ERROR, "5.4.6", "mail forwarding loop for "
                        + recipient);
            }
            DeliveryRequest request = new DeliveryRequest(sender, recipient, PipeFraming.queueId(head),
                    Optional.empty());
            return DeliverCommand.deliverer(config, resolver, submitter, clock, Ledgers.ledger(resolver))
                    .deliver(request, head);
        } catch (IOException e) {
            return DeliveryOutcome.deferred("4.3.0", "reading the received message failed",
                    "reading the received message: " + e);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return DeliveryOutcome.deferred("4.3.0", "internal error (" + e.getClass().getSimpleName() + ")",
                    e.toString());
        }
    }
}
