package org.tempmail.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;

/**
 * The delivery decision and its execution: judge the recipient at the message's arrival time, refuse a MAILDROP
 * that is itself a temporary address, rewrite the header and hand the message to the submitter. Every failure
 * that is not a definite "this address is not valid" or a loop becomes a deferral; nothing escapes as an
 * exception.
 */
public final class Deliverer {
    private final Resolver resolver;
    private final ZoneId zone;
    private final HeaderRewriter rewriter;
    private final Submitter submitter;
    private final Clock clock;
    private final CapabilityLedger ledger;

    public Deliverer(Resolver resolver, ZoneId zone, HeaderRewriter rewriter, Submitter submitter, Clock clock) {
        this(resolver, zone, rewriter, submitter, clock, CapabilityLedger.NONE);
    }

    /** With a ledger that records deliveries to capability addresses and knows their first senders. */
    public Deliverer(Resolver resolver, ZoneId zone, HeaderRewriter rewriter, Submitter submitter, Clock clock,
            CapabilityLedger ledger) {
        this.ledger = ledger;
        this.resolver = resolver;
        this.zone = zone;
        this.rewriter = rewriter;
        this.submitter = submitter;
        this.clock = clock;
    }

    public DeliveryOutcome deliver(DeliveryRequest request, InputStream message) {
        MessageHead head;
        try {
            head = MessageHead.read(message);
        } catch (IOException e) {
            return DeliveryOutcome.deferred("4.3.0", "reading the message failed: " + e.getMessage());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return internalError(e);
        }
        return deliver(request, head);
    }

    public DeliveryOutcome deliver(DeliveryRequest request, MessageHead head) {
        try {
            return attempt(request, head);
        } catch (BackendException e) {
            // The reason reaches senders (delay notices): the details, with paths and hosts, stay out.
            return DeliveryOutcome.deferred("4.3.0", "cannot check <" + request.recipient() + ">: "
                    + e.publicReason(), e.getMessage());
        } catch (SubmissionException e) {
            return DeliveryOutcome.deferred("4.3.0", e.getMessage(), e.detail());
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return internalError(e);
        }
    }

    /** When the message is judged: an explicit time, else its arrival at this Postfix, else now. */
    public Instant judgedAt(DeliveryRequest request, MessageHead head) {
        return request.at()
                .or(() -> request.queueId().flatMap(id -> ArrivalTime.from(head.fields("Received")::iterator, id)))
                .orElseGet(clock::instant);
    }

    private DeliveryOutcome attempt(DeliveryRequest request, MessageHead head)
            throws BackendException, SubmissionException {
        String recipient = request.recipient();
        Instant at = judgedAt(request, head);
        Resolution resolution = resolver.resolve(recipient, at);
        if (resolution instanceof Resolution.Expired expired) {
            return DeliveryOutcome.noSuchAddress("<" + recipient + ">: temporary address expired on "
                    + MailDates.format(expired.since(), zone) + " (message judged at " + MailDates.format(at, zone)
                    + ")");
        }
        if (!(resolution instanceof Resolution.Valid valid)) {
            return DeliveryOutcome.noSuchAddress("<" + recipient + ">: no such temporary address");
        }
        String target = valid.target();
        // A message that comes back to an address it went through is Postfix's to stop (pipe's D flag, by
        // Delivered-To), and no field a sender writes can trigger a loop here. A MAILDROP of ours would be
        // stopped too, one hop later with a generic reason; refusing it at once names the fix.
        if (!(resolver.resolve(target, at) instanceof Resolution.Unknown)) {
            // The MAILDROP is the owner's own address: the sender learns only that there is a loop.
            return DeliveryOutcome.loop("mail loop: the address forwards to a temporary address", "MAILDROP <"
                    + target + "> is itself a temporary address; set MAILDROP to a permanent address");
        }
        List<String> capabilityFields = capabilityFields(valid, request, at);
        byte[] prepended = prependedLines(recipient, valid, head.lineEnding(), capabilityFields);
        submitter.submit(request.sender(), target, out -> rewriter.rewrite(head, out, prepended));
        return DeliveryOutcome.delivered("<" + recipient + "> resubmitted to <" + target + ">");
    }

    /** For a capability address: records this delivery (before submitting, so a retry is not counted again). */
    private List<String> capabilityFields(Resolution.Valid valid, DeliveryRequest request, Instant at)
            throws BackendException {
        if (valid.capability().isEmpty()) {
            return List.of();
        }
        Resolution.Capability capability = valid.capability().get();
        Optional<String> firstSender = ledger.record(capability.address(), request.queueId(), request.sender(), at);
        return CapabilityFields.lines(capability.note(), request.sender(), firstSender);
    }

    private byte[] prependedLines(String recipient, Resolution.Valid valid, byte[] lineEnding, List<String> extra) {
        String eol = new String(lineEnding, StandardCharsets.US_ASCII);
        StringBuilder lines = new StringBuilder("X-Tempmail-To: " + recipient + eol);
        if (!valid.validUntil().equals(Resolution.Valid.NO_EXPIRY)) {
            lines.append("X-Tempmail-Expires: ").append(MailDates.format(valid.validUntil(), zone)).append(eol);
        }
        // Printable ASCII only (AddressForm), so it cannot break the header.
        valid.extension().ifPresent(extension -> lines.append(HeaderRewriter.EXTENSION_FIELD).append(": ")
                .append(extension).append(eol));
        for (String field : extra) {
            lines.append(field.replace("\r\n", eol)).append(eol);
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The exception's text may hold anything (paths, values): only its kind for the sender. */
    private static DeliveryOutcome internalError(Throwable e) {
        return DeliveryOutcome.deferred("4.3.0", "internal error (" + e.getClass().getSimpleName() + ")",
                e.toString());
    }
}
