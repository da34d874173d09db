package org.tempmail.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigLoader;
import org.tempmail.delivery.CapabilityLedger;
import org.tempmail.delivery.Deliverer;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.delivery.DeliveryRequest;
import org.tempmail.delivery.HeaderRewriter;
import org.tempmail.delivery.SendmailSubmitter;
import org.tempmail.delivery.Spool;
import org.tempmail.delivery.Submitter;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;

/**
 * The pipe(8) transport: delivers the message on stdin for one temporary address to the MAILDROP. Postfix reads
 * only the exit status and the output, so every failure that is not a definite bounce exits 75 with a 4.x.x line.
 */
final class DeliverCommand implements Command {
    @Override
    public String name() {
        return "deliver";
    }

    @Override
    public String summary() {
        return "deliver the message on stdin (run by Postfix's pipe(8), see README \"Delivery\")";
    }

    @Override
    public String details() {
        return """
                 Prints nothing on success. Otherwise one line on stdout, which pipe(8) puts into the bounce or
                 delay notice the sender gets: the status code and a short reason, never a path, host, secret or
                 the contents of a line of tempmail.cf. The administrator's detail goes to stderr, which
                 bin/tempmail sends to syslog (facility mail, tag tempmail/deliver) unless stderr is a terminal;
                 a delivery handed over to tempmail serve leaves it in the server's log. Exit status (sysexits):
                 0 delivered, 67 no such or expired address, 65 mail loop, 75 everything else (deferred).""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("sender").hasArg().argName("S").required()
                        .desc("envelope sender, ${sender}; empty for the null sender (set null_sender= in master.cf)")
                        .get())
                .addOption(Option.builder().longOpt("recipient").hasArg().argName("R").required()
                        .desc("the temporary address, ${recipient}").get())
                .addOption(Option.builder().longOpt("queue-id").hasArg().argName("Q")
                        .desc("${queue_id}: its Received field dates the arrival; without it, now counts").get())
                .addOption(Option.builder().longOpt("original-recipient").hasArg().argName("O")
                        .desc("${original_recipient}, shown in status lines when it differs from R").get());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        // The database drivers log through java.util.logging, whose default handler writes to stderr: an empty
        // configuration has no handler. Set before the first logger, it costs nothing when nothing logs.
        System.setProperty("java.util.logging.config.file", "/dev/null");
        Config config = ConfigLoader.load(invocation.configPath());
        Submitter sendmail = new SendmailSubmitter(config.delivery().sendmail(), config.delivery().sendmailTimeout(),
                new Spool(config.delivery().spoolDirectory()), invocation.environment());
        return deliver(deliverer(config, sendmail, invocation.clock()), line, invocation.in(), invocation.out(),
                invocation.err()::println);
    }

    /**
     * Delivers the message for the recipient on the command line and prints what Postfix should see; the
     * administrator's detail of a failure goes to {@code adminLog} (stderr, which the launcher sends to syslog,
     * or the server's log for a handed-over delivery).
     */
    static int deliver(Deliverer deliverer, CommandLine line, InputStream message, PrintStream out,
            Consumer<String> adminLog) {
        String recipient = line.getOptionValue("recipient");
        DeliveryRequest request = new DeliveryRequest(line.getOptionValue("sender"), recipient,
                Optional.ofNullable(line.getOptionValue("queue-id")), Optional.empty());
        DeliveryOutcome outcome = deliverer.deliver(request, message);
        if (!outcome.delivered()) {
            String original = line.getOptionValue("original-recipient");
            String suffix = original == null || original.equalsIgnoreCase(recipient)
                    ? "" : " (original recipient <" + original + ">)";
            // Only the status line: pipe(8) puts the output into defer and bounce reports, which reach senders,
            // so configuration warnings and details (file modes, paths, hosts) stay out.
            out.println(outcome.statusLine() + suffix);
            if (!outcome.detail().isEmpty()) {
                adminLog.accept(logPrefix(line.getOptionValue("queue-id")) + "to=<" + recipient + ">: "
                        + outcome.administratorLine());
            }
        }
        return outcome.exitStatus();
    }

    /** "6A1B2C3D4E: ", as Postfix's own log lines start, when the queue id is known and looks like one. */
    static String logPrefix(String queueId) {
        return queueId != null && queueId.matches("[0-9A-Za-z]{1,32}") ? queueId + ": " : "";
    }

    static Deliverer deliverer(Config config, Submitter submitter, Clock clock) {
        return deliverer(config, submitter, clock, true);
    }

    /** {@code record}: count deliveries to capability addresses (not for a dry run). */
    static Deliverer deliverer(Config config, Submitter submitter, Clock clock, boolean record) {
        AssembledResolver resolver = ResolverAssembly.create(config);
        return deliverer(config, resolver, submitter, clock,
                record ? Ledgers.ledger(resolver) : CapabilityLedger.NONE);
    }

    /** With a resolver that lives longer than one delivery, such as the running server's. */
    static Deliverer deliverer(Config config, AssembledResolver resolver, Submitter submitter, Clock clock,
            CapabilityLedger ledger) {
        return new Deliverer(resolver, config.addresses().zone(),
                new HeaderRewriter(config.delivery().subjectTag(), config.delivery().stripHeaders()),
                submitter, clock, ledger);
    }

    @Override
    public int failureStatus() {
        return DeliveryOutcome.TEMPORARY_FAILURE;
    }

    /** The short reason for Postfix (and the sender), the whole message for the administrator's log. */
    @Override
    public void reportFailure(Invocation invocation, Failure kind, String message, String publicReason) {
        String code = kind == Failure.INTERNAL ? "4.3.0" : "4.3.5";
        invocation.out().println(DeliveryOutcome.deferred(code, publicReason).statusLine());
        invocation.err().println(logPrefix(queueId(invocation.arguments())) + code + " " + message);
    }

    /** The --queue-id of arguments that could not be parsed or used. */
    private static String queueId(List<String> arguments) {
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument.startsWith("--queue-id=")) {
                return argument.substring("--queue-id=".length());
            }
            if (argument.equals("--queue-id") && i + 1 < arguments.size()) {
                return arguments.get(i + 1);
            }
        }
        return null;
    }
}
