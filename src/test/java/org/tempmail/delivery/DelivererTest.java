package org.tempmail.delivery;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tempmail.address.BackendException;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.address.Resolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

class DelivererTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final String DOMAIN = "temp.example.org";
    private static final String MAILDROP = "owner@example.org";
    /** The corpus messages arrived (Received ... id 4AbCd1234) at 2026-11-22 09:15 in Berlin. */
    private static final Instant ARRIVAL = Instant.parse("2026-11-22T08:15:00Z");
    private static final Instant THREE_DAYS_LATER = ARRIVAL.plusSeconds(3 * 86_400);

    private final DatedAddressResolver resolver = resolver(MAILDROP);
    private final String todays = resolver.addressOf(LocalDate.of(2026, 11, 22));
    private final RecordingSubmitter submitted = new RecordingSubmitter();

    @Test
    void validAddressIsResubmittedToTheMaildropWithTheAddedLines() {
        DeliveryOutcome outcome = deliver(resolver, "plain.eml", "alice@example.net", Optional.of("4AbCd1234"), ARRIVAL);
        assertEquals(0, outcome.exitStatus(), outcome.statusLine());
        assertEquals("alice@example.net", submitted.sender);
        assertEquals(MAILDROP, submitted.recipient);
        assertTrue(submitted.message().startsWith("X-Tempmail-To: " + todays + "\n"
                + "X-Tempmail-Expires: Tue, 24 Nov 2026 00:00:00 +0100\nReturn-Path: <alice@example.net>\n"),
                submitted.message());
    }

    @Test
    void addedLinesUseTheMessagesCrlfLineEnding() {
        deliver(resolver, "crlf.eml", "", Optional.of("4AbCd1234"), ARRIVAL);
        assertEquals("", submitted.sender, "the null sender stays empty");
        assertTrue(submitted.message().startsWith("X-Tempmail-To: " + todays + "\r\nX-Tempmail-Expires: "
                + "Tue, 24 Nov 2026 00:00:00 +0100\r\nReturn-Path:"), submitted.message());
    }

    @Test
    void mailThatArrivedInTimeIsDeliveredAfterWaitingInTheQueue() {
        DeliveryOutcome outcome = deliver(resolver, "plain.eml", "a@b", Optional.of("4AbCd1234"), THREE_DAYS_LATER);
        assertEquals(0, outcome.exitStatus(), outcome.statusLine());
    }

    @Test
    void withoutItsReceivedFieldTheCurrentTimeCounts() {
        DeliveryOutcome otherQueueId = deliver(resolver, "plain.eml", "a@b", Optional.of("4Other"), THREE_DAYS_LATER);
        assertEquals(67, otherQueueId.exitStatus());
        assertEquals("5.1.1", otherQueueId.enhancedCode());
        assertTrue(otherQueueId.text().contains("expired on Tue, 24 Nov 2026 00:00:00 +0100"), otherQueueId.text());
        assertEquals(67, deliver(resolver, "plain.eml", "a@b", Optional.empty(), THREE_DAYS_LATER).exitStatus());
        assertNull(submitted.recipient, "nothing was sent");
    }

    @Test
    void unknownAddressBounces() {
        DeliveryOutcome outcome = deliver(resolver, "plain.eml", "a@b", Optional.empty(), ARRIVAL, "nobody@" + DOMAIN);
        assertEquals(67, outcome.exitStatus());
        assertEquals("5.1.1 <nobody@temp.example.org>: no such temporary address", outcome.statusLine());
    }

    /**
     * Issue 10, item 2: a sender's X-Tempmail-To naming the recipient used to bounce the message as a loop
     * (5.4.6); loops are Postfix's to stop (Delivered-To), and the forged fields reach the owner renamed.
     */
    @Test
    void forgedFieldsOfOursTriggerNoLoopAndReachTheOwnerRenamed() {
        String forged = "X-Tempmail-To: " + todays.toUpperCase()
                + "\nx-tempmail-note: from your bank,\n please log in\nX-TEMPMAIL-LEAK: nothing\n"
                + "X-Tempmail-Expires: never\nX-Tempmail-Extension: bank\n";
        byte[] message = (forged + new String(Corpus.read("plain.eml"), ISO_8859_1)).getBytes(ISO_8859_1);

        DeliveryOutcome outcome = new Deliverer(resolver, ZONE, plainRewriter(), submitted,
                Clock.fixed(ARRIVAL, ZoneOffset.UTC)).deliver(request("a@b", Optional.empty()),
                        new ByteArrayInputStream(message));

        assertEquals(0, outcome.exitStatus(), outcome.statusLine());
        assertEquals(MAILDROP, submitted.recipient);
        String expected = "X-Tempmail-To: " + todays + "\nX-Tempmail-Expires: Tue, 24 Nov 2026 00:00:00 +0100\n"
                + "X-Incoming-Tempmail-To: " + todays.toUpperCase() + "\nX-Incoming-tempmail-note: from your bank,\n"
                + " please log in\nX-Incoming-TEMPMAIL-LEAK: nothing\nX-Incoming-Tempmail-Expires: never\n"
                + "X-Incoming-Tempmail-Extension: bank\n" + new String(Corpus.read("plain.eml"), ISO_8859_1);
        assertEquals(expected, submitted.message());
    }

    @Test
    void aCopyThatWentThroughBeforeIsDeliveredAgainWithTheEarlierFieldsRenamed() {
        byte[] once = deliverAndCapture("plain.eml");
        RecordingSubmitter again = new RecordingSubmitter();
        DeliveryOutcome outcome = new Deliverer(resolver, ZONE, plainRewriter(), again,
                Clock.fixed(ARRIVAL, ZoneOffset.UTC))
                .deliver(new DeliveryRequest("a@b", todays, Optional.empty(), Optional.empty()),
                        new ByteArrayInputStream(once));
        assertEquals(0, outcome.exitStatus(), outcome.statusLine());
        assertTrue(again.message().startsWith("X-Tempmail-To: " + todays + "\nX-Tempmail-Expires: Tue, 24 Nov 2026"
                + " 00:00:00 +0100\nX-Incoming-Tempmail-To: " + todays + "\nX-Incoming-Tempmail-Expires: "),
                again.message());
    }

    @Test
    void maildropThatIsATemporaryAddressIsALoop() {
        Resolver maildropIsOurs = (address, at) -> address.equals(MAILDROP)
                ? resolver.resolve(todays, at) : resolver.resolve(address, at);
        DeliveryOutcome loop = deliver(maildropIsOurs, "plain.eml", "a@b", Optional.empty(), ARRIVAL);
        assertEquals(65, loop.exitStatus());
        assertEquals("5.4.6 mail loop: the address forwards to a temporary address", loop.statusLine(),
                "the sender does not learn the MAILDROP");
        assertTrue(loop.detail().startsWith("MAILDROP <" + MAILDROP + "> is itself a temporary address"),
                loop.detail());
        assertNull(submitted.recipient);
    }

    @Test
    void aMaildropInTheTemporaryDomainThatIsNoTemporaryAddressIsDelivered() {
        // postfix-tempmail's own example: DOMAIN=example.com, MAILDROP=permanent-address@example.com
        DeliveryOutcome sharedDomain = deliver(resolver("someone@" + DOMAIN.toUpperCase()), "plain.eml", "a@b",
                Optional.empty(), ARRIVAL);
        assertEquals(0, sharedDomain.exitStatus(), sharedDomain.statusLine());
        assertEquals("someone@" + DOMAIN.toUpperCase(), submitted.recipient);
    }

    @Test
    void everyOtherFailureDefers() {
        Resolver down = (address, at) -> {
            throw new BackendException("backend unreachable", null);
        };
        DeliveryOutcome backend = deliver(down, "plain.eml", "a@b", Optional.empty(), ARRIVAL);
        assertEquals(75, backend.exitStatus());
        assertTrue(backend.statusLine().startsWith("4.3.0 cannot check <"), backend.statusLine());

        Resolver buggy = (address, at) -> {
            throw new IllegalStateException("bug");
        };
        DeliveryOutcome bug = deliver(buggy, "plain.eml", "a@b", Optional.empty(), ARRIVAL);
        assertEquals("4.3.0 internal error (IllegalStateException)", bug.statusLine());
        assertEquals("java.lang.IllegalStateException: bug", bug.detail());

        Resolver outOfMemory = (address, at) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        assertEquals(75, deliver(outOfMemory, "plain.eml", "a@b", Optional.empty(), ARRIVAL).exitStatus());

        Submitter failing = (sender, recipient, message) -> {
            throw new SubmissionException("sendmail failed with status 75");
        };
        DeliveryOutcome submission = new Deliverer(resolver, ZONE, plainRewriter(), failing,
                Clock.fixed(ARRIVAL, ZoneOffset.UTC)).deliver(request("a@b", Optional.empty()), message("plain.eml"));
        assertEquals("4.3.0 sendmail failed with status 75", submission.statusLine());

        InputStream unreadable = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        };
        DeliveryOutcome input = new Deliverer(resolver, ZONE, plainRewriter(), submitted,
                Clock.fixed(ARRIVAL, ZoneOffset.UTC)).deliver(request("a@b", Optional.empty()), unreadable);
        assertEquals("4.3.0 reading the message failed: Input/output error", input.statusLine());
    }

    @Test
    void statusLinesStayShortAndOnOneLine() {
        DeliveryOutcome outcome = DeliveryOutcome.deferred("4.3.0", "x".repeat(10_000) + "\nsecond line");
        assertTrue(outcome.statusLine().length() < 1000);
        assertTrue(DeliveryOutcome.deferred("4.3.0", "a\r\nb").statusLine().equals("4.3.0 a b"));
    }

    private byte[] deliverAndCapture(String file) {
        deliver(resolver, file, "a@b", Optional.empty(), ARRIVAL);
        return submitted.bytes.toByteArray();
    }

    private DeliveryOutcome deliver(Resolver resolver, String file, String sender, Optional<String> queueId,
            Instant now) {
        return deliver(resolver, file, sender, queueId, now, todays);
    }

    private DeliveryOutcome deliver(Resolver resolver, String file, String sender, Optional<String> queueId,
            Instant now, String recipient) {
        return new Deliverer(resolver, ZONE, plainRewriter(), submitted, Clock.fixed(now, ZoneOffset.UTC))
                .deliver(new DeliveryRequest(sender, recipient, queueId, Optional.empty()), message(file));
    }

    private DeliveryRequest request(String sender, Optional<String> queueId) {
        return new DeliveryRequest(sender, todays, queueId, Optional.empty());
    }

    private static InputStream message(String file) {
        return new ByteArrayInputStream(Corpus.read(file));
    }

    private static HeaderRewriter plainRewriter() {
        return new HeaderRewriter(Optional.empty(), List.of());
    }

    static DatedAddressResolver resolver(String maildrop) {
        return DatedAddressResolver.from(new AddressSettings(SchemeName.HMAC_SHA256,
                new Secret("a test secret of some length"), 8, DOMAIN, maildrop, 2, ZONE, "+"));
    }

    private static final class RecordingSubmitter implements Submitter {
        String sender;
        String recipient;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
            this.sender = sender;
            this.recipient = recipient;
            try {
                message.writeTo(bytes);
            } catch (IOException e) {
                throw new SubmissionException(e.getMessage());
            }
        }

        String message() {
            return bytes.toString(ISO_8859_1);
        }
    }
}
