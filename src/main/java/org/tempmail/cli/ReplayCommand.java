package org.tempmail.cli;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.Invocation;
import org.tempmail.cli.command.UsageException;
import org.tempmail.config.Config;
import org.tempmail.delivery.DeliveredCopy;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.delivery.DeliveryRequest;
import org.tempmail.delivery.HeaderField;
import org.tempmail.delivery.MessageHead;
import org.tempmail.delivery.SendmailSubmitter;
import org.tempmail.delivery.Spool;
import org.tempmail.delivery.StreamSubmitter;
import org.tempmail.delivery.Submitter;

/** Runs the deliver pipeline by hand on a saved message; --dry-run shows the rewritten message instead. */
final class ReplayCommand implements Command {
    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "deliver a saved message (FILE or stdin) as deliver would; --dry-run prints it instead";
    }

    @Override
    public String arguments() {
        return "[FILE|-]";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("sender").hasArg().argName("S")
                        .desc("envelope sender (\"\" for the null sender); default: the Return-Path field").get())
                .addOption(Option.builder().longOpt("recipient").hasArg().argName("R")
                        .desc("the temporary address; default: the first Delivered-To or X-Original-To field").get())
                .addOption(CommonOptions.at())
                .addOption(Option.builder().longOpt("dry-run")
                        .desc("write the rewritten message to stdout and send nothing").get());
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        List<String> args = line.getArgList();
        if (args.size() > 1) {
            throw new UsageException("expected at most one FILE, got " + args.size());
        }
        Config config = invocation.loadConfig();
        Optional<Instant> at = line.hasOption("at")
                ? Optional.of(CommonOptions.at(line, config, invocation.clock())) : Optional.empty();
        String file = args.isEmpty() ? "-" : args.get(0);
        boolean dryRun = line.hasOption("dry-run");
        try (InputStream in = open(file, invocation)) {
            MessageHead head = MessageHead.read(withoutMboxFromLine(in));
            String recipient = recipient(line, head);
            String sender = sender(line, head, dryRun);
            StreamSubmitter terminal = new StreamSubmitter(invocation.out());
            Submitter submitter = dryRun ? terminal
                    : new SendmailSubmitter(config.delivery().sendmail(), config.delivery().sendmailTimeout(),
                            new Spool(config.delivery().spoolDirectory()));
            DeliveryOutcome outcome = DeliveredCopy.judge(
                    DeliverCommand.deliverer(config, submitter, invocation.clock(), !dryRun)
                            .deliver(new DeliveryRequest(sender, recipient, Optional.empty(), at), head),
                    head, recipient);
            report(invocation, outcome, dryRun ? terminal.recipient() : Optional.empty(), recipient, sender);
            return outcome.exitStatus();
        }
    }

    /** dryRunTarget: where a dry run would have sent the message, the MAILDROP or a capability's target. */
    private static void report(Invocation invocation, DeliveryOutcome outcome, Optional<String> dryRunTarget,
            String recipient, String sender) {
        if (outcome.delivered()) {
            if (dryRunTarget.isPresent()) {
                invocation.err().println("tempmail replay: dry run, nothing sent: the message above for <" + recipient
                        + "> would go from <" + sender + "> to <" + dryRunTarget.get() + ">");
            } else {
                invocation.out().println("tempmail replay: " + outcome.text() + " (from <" + sender + "> to <"
                        + recipient + ">)");
            }
            return;
        }
        String verdict = switch (outcome.exitStatus()) {
            case DeliveryOutcome.NO_USER -> "not delivered, Postfix would bounce it";
            case DeliveryOutcome.DATA_ERROR -> "not delivered: it would loop, Postfix would bounce it";
            default -> "not delivered this time, Postfix would try again later";
        };
        // A person at a terminal: the administrator's detail too.
        invocation.err().println("tempmail replay: " + verdict + " (exit " + outcome.exitStatus() + ", "
                + outcome.enhancedCode() + "): " + outcome.text()
                + (outcome.detail().isEmpty() ? "" : ": " + outcome.detail()));
    }

    private static InputStream open(String file, Invocation invocation) throws UsageException, IOException {
        if (file.equals("-")) {
            return new UnclosedInputStream(invocation.in());
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new UsageException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UsageException(file + ": permission denied");
        }
    }

    /** Drops an mbox "From " line in front of the message, as pipe's F flag or a mailbox file adds. */
    static InputStream withoutMboxFromLine(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(5);
        byte[] start = buffered.readNBytes(5);
        if (!new String(start, StandardCharsets.ISO_8859_1).equals("From ")) {
            buffered.reset();
            return buffered;
        }
        int b;
        do {
            b = buffered.read();
        } while (b >= 0 && b != '\n');
        return buffered;
    }

    private static String recipient(CommandLine line, MessageHead head) throws UsageException {
        if (line.hasOption("recipient")) {
            return line.getOptionValue("recipient");
        }
        return head.fields("Delivered-To", "X-Original-To").findFirst().map(f -> f.address())
                .orElseThrow(() -> new UsageException(
                        "no Delivered-To or X-Original-To field in the message: give --recipient"));
    }

    private static String sender(CommandLine line, MessageHead head, boolean dryRun) throws UsageException {
        if (line.hasOption("sender")) {
            return line.getOptionValue("sender");
        }
        Optional<HeaderField> returnPath = head.first("Return-Path");
        if (returnPath.isPresent()) {
            return returnPath.get().address();
        }
        if (dryRun) {
            return "";
        }
        throw new UsageException("no Return-Path field in the message: give --sender (\"\" for the null sender)");
    }

    /** Standard input, which replay reads but must not close. */
    private static final class UnclosedInputStream extends FilterInputStream {
        UnclosedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // stdin belongs to the caller
        }
    }
}
