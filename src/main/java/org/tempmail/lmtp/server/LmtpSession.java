package org.tempmail.lmtp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.lmtp.Command;
import org.tempmail.lmtp.EnvelopePath;
import org.tempmail.lmtp.LmtpInput;
import org.tempmail.lmtp.Reply;

/**
 * One LMTP conversation (RFC 2033). The message is received whole (in memory, or in a private file when large)
 * before any recipient is delivered, so a client that goes away in the middle of DATA leaves nothing queued; then
 * each recipient is delivered on its own and gets its own reply, 250 only once its copy is queued.
 */
final class LmtpSession {
    /** Longest command line taken, in bytes; RFC 5321 asks for 512, parameters make it longer. */
    static final int MAX_COMMAND_LINE = 2048;
    /** Protocol errors a client may make before it is disconnected. */
    static final int MAX_ERRORS = 20;
    private static final int COPY_BUFFER = 64 * 1024;
    /**
     * Largest message kept in memory rather than in a file, per session: most mail is smaller, and a file
     * created, read and removed per message cost the machine more than the rest of the server's work did.
     */
    static final int IN_MEMORY = 256 * 1024;
    private static final long DELIVERY_PERMIT_WAIT_SECONDS = 30;

    private final LmtpInput in;
    private final OutputStream out;
    private final String hostname;
    private final SessionLimits limits;
    private final LmtpDeliveries deliveries;
    private final Semaphore deliveryPermits;
    private final Consumer<String> log;
    private final String name;

    private boolean greeted;
    private Optional<String> sender = Optional.empty();
    private final List<String> recipients = new ArrayList<>();
    private int errors;
    private boolean ended;

    /**
     * {@code deliveryPermits}: deliveries that may examine a message header at once, across all sessions (each
     * holds up to a bounded number of bytes of it in memory).
     */
    LmtpSession(InputStream in, OutputStream out, String hostname, SessionLimits limits, LmtpDeliveries deliveries,
            Semaphore deliveryPermits, Consumer<String> log, String name) {
        this.in = new LmtpInput(in);
        this.out = out;
        this.hostname = hostname;
        this.limits = limits;
        this.deliveries = deliveries;
        this.deliveryPermits = deliveryPermits;
        this.log = log;
        this.name = name;
    }

    /** Runs the conversation until QUIT, the end of the connection or too many errors. */
    void run() throws IOException {
        send(Reply.of(220, "", hostname + " LMTP tempmail"));
        while (true) {
            if (!in.hasBuffered()) {
                // Replies to pipelined commands go out together, once every command read ahead is answered.
                out.flush();
            }
            Optional<LmtpInput.Line> line = in.readLine(MAX_COMMAND_LINE);
            if (line.isEmpty()) {
                return;
            }
            if (line.get() instanceof LmtpInput.Line.Text text) {
                answer(Command.parse(text.text()));
            } else {
                error(Reply.of(500, "5.5.2", "line too long"));
            }
            if (ended) {
                out.flush();
                return;
            }
        }
    }

    private void answer(Command command) throws IOException {
        switch (command.verb()) {
            case "LHLO" -> lhlo(command);
            case "MAIL" -> mail(command);
            case "RCPT" -> rcpt(command);
            case "DATA" -> data();
            case "RSET" -> {
                reset();
                send(Reply.of(250, "2.0.0", "ok"));
            }
            case "NOOP" -> send(Reply.of(250, "2.0.0", "ok"));
            case "QUIT" -> {
                send(Reply.of(221, "2.0.0", hostname + " closing connection"));
                ended = true;
            }
            case "HELO", "EHLO" -> error(Reply.of(500, "5.5.1", "this is an LMTP server: say LHLO"));
            default -> error(Reply.of(502, "5.5.1", "command not implemented"));
        }
    }

    private void lhlo(Command command) throws IOException {
        if (command.argument().isEmpty()) {
            error(Reply.of(501, "5.5.4", "LHLO needs a host name"));
            return;
        }
        reset();
        greeted = true;
        // SMTPUTF8 too: lmtp(8) bounces (5.6.7) a message whose sender asked for it when the server lacks it,
        // and the addresses pass to sendmail as the pipe passes them.
        send(new Reply(250, "", List.of(hostname, "PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8",
                "SIZE " + limits.maxMessageSize())));
    }

    private void mail(Command command) throws IOException {
        if (!greeted) {
            error(Reply.of(503, "5.5.1", "say LHLO first"));
            return;
        }
        if (sender.isPresent()) {
            error(Reply.of(503, "5.5.1", "nested MAIL command"));
            return;
        }
        Optional<EnvelopePath> path = EnvelopePath.parse(command.argument(), "FROM:");
        if (path.isEmpty()) {
            error(Reply.of(501, "5.5.4", "syntax: MAIL FROM:<address>"));
            return;
        }
        for (var parameter : path.get().parameters().entrySet()) {
            switch (parameter.getKey()) {
                case "SIZE" -> {
                    if (tooLarge(parameter.getValue())) {
                        send(Reply.of(552, "5.3.4", "message too large (at most " + limits.maxMessageSize()
                                + " bytes)"));
                        return;
                    }
                }
                case "BODY" -> {
                    if (!parameter.getValue().equalsIgnoreCase("8BITMIME")
                            && !parameter.getValue().equalsIgnoreCase("7BIT")) {
                        error(Reply.of(501, "5.5.4", "BODY takes 7BIT or 8BITMIME"));
                        return;
                    }
                }
                case "SMTPUTF8" -> {
                    // Nothing to do: commands are read as UTF-8, and the message passes as it is.
                }
                default -> {
                    error(Reply.of(555, "5.5.4", "parameter " + parameter.getKey() + " not supported"));
                    return;
                }
            }
        }
        sender = Optional.of(path.get().address());
        send(Reply.of(250, "2.1.0", "sender ok"));
    }

    private boolean tooLarge(String declared) {
        try {
            return Long.parseLong(declared) > limits.maxMessageSize();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void rcpt(Command command) throws IOException {
        if (sender.isEmpty()) {
            error(Reply.of(503, "5.5.1", "say MAIL first"));
            return;
        }
        Optional<EnvelopePath> path = EnvelopePath.parse(command.argument(), "TO:");
        if (path.isEmpty() || path.get().address().isEmpty()) {
            error(Reply.of(501, "5.5.4", "syntax: RCPT TO:<address>"));
            return;
        }
        if (!path.get().parameters().isEmpty()) {
            error(Reply.of(555, "5.5.4", "RCPT parameters not supported"));
            return;
        }
        if (recipients.size() >= limits.maxRecipients()) {
            send(Reply.of(452, "4.5.3", "too many recipients, the rest later"));
            return;
        }
        recipients.add(path.get().address());
        // Judged after DATA: the address is checked at the message's arrival time, which its header gives.
        send(Reply.of(250, "2.1.5", "recipient ok"));
    }

    /** The connection ending in the middle of the message throws: then nothing is delivered. */
    private void data() throws IOException {
        if (recipients.isEmpty()) {
            error(Reply.of(503, "5.5.1", sender.isEmpty() ? "say MAIL first" : "no recipients"));
            return;
        }
        send(Reply.of(354, "", "end data with <CR><LF>.<CR><LF>"));
        out.flush();
        deliveries.messageStarts();
        MessageBuffer message = new MessageBuffer(IN_MEMORY, deliveries::newMessageFile);
        try {
            long size = receive(message);
            Reply failure = null;
            if (message.failure().isPresent()) {
                log.accept("lmtp: " + name + ": cannot keep a message: " + message.failure().get().getMessage());
                failure = Reply.of(451, "4.3.0", "cannot keep the message now, try again later");
            } else if (size > limits.maxMessageSize()) {
                failure = Reply.of(552, "5.3.4", "message too large (at most " + limits.maxMessageSize() + " bytes)");
            }
            if (failure != null) {
                for (String recipient : recipients) {
                    send(failure);
                }
            } else {
                deliverAll(message);
            }
        } finally {
            message.discard();
        }
        reset();
    }

    /**
     * Copies the message into {@code kept} up to one byte past the size limit and reads the rest to its end;
     * returns its size up to that point. The connection ending first throws: nothing is delivered.
     */
    private long receive(MessageBuffer kept) throws IOException {
        InputStream data = in.data();
        byte[] buffer = new byte[COPY_BUFFER];
        long size = 0;
        long keep = limits.maxMessageSize() + 1;
        try (kept) {
            int n;
            while ((n = data.read(buffer)) >= 0) {
                if (size < keep) {
                    int wanted = (int) Math.min(n, keep - size);
                    kept.write(buffer, 0, wanted);
                    size += wanted;
                }
            }
        }
        return size;
    }

    private void deliverAll(ReceivedMessage message) throws IOException {
        boolean permitted;
        try {
            permitted = deliveryPermits.tryAcquire(DELIVERY_PERMIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            permitted = false;
        }
        if (!permitted) {
            log.accept("lmtp: " + name + ": every delivery slot is busy; the client tries again later");
            for (String recipient : recipients) {
                send(Reply.of(451, "4.3.2", "server busy, try again later"));
            }
            return;
        }
        try {
            for (String recipient : recipients) {
                DeliveryOutcome outcome = deliveries.deliver(sender.orElseThrow(), recipient, message);
                Reply reply = replyFor(outcome);
                // The reply reaches senders (delay notices); the log gets the administrator's detail too.
                log.accept("lmtp: " + name + ": from=<" + sender.get() + "> to=<" + recipient + ">: "
                        + outcome.administratorLine());
                send(reply);
                // Each reply as soon as it is known: the client may be waiting for the first to log it.
                out.flush();
            }
        } finally {
            deliveryPermits.release();
        }
    }

    /** 550 only for a definitely invalid address; every other failure is temporary, so that Postfix retries. */
    static Reply replyFor(DeliveryOutcome outcome) {
        if (outcome.delivered()) {
            return Reply.of(250, "2.0.0", outcome.text());
        }
        if (outcome.exitStatus() == DeliveryOutcome.NO_USER) {
            return Reply.of(550, "5.1.1", outcome.text());
        }
        String code = outcome.enhancedCode();
        return Reply.of(451, code.startsWith("4.") ? code : "4" + code.substring(1), outcome.text());
    }

    /** Sends an error reply; a client that has made too many is disconnected. */
    private void error(Reply reply) throws IOException {
        errors++;
        if (errors >= MAX_ERRORS) {
            send(Reply.of(421, "4.7.0", hostname + " too many errors, closing connection"));
            ended = true;
            return;
        }
        send(reply);
    }

    private void reset() {
        sender = Optional.empty();
        recipients.clear();
    }

    private void send(Reply reply) throws IOException {
        out.write(reply.bytes());
    }
}
