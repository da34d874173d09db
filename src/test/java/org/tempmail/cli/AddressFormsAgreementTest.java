package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigLoader;
import org.tempmail.delivery.Deliverer;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.delivery.DeliveryRequest;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;
import org.tempmail.socketmap.SocketmapResponder;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.NewCapability;

/**
 * Issue 9, items 4 and 8: for every form of an address that Postfix can hand over, the socketmap (asked the way
 * smtpd asks, quoted form first, then the unquoted one) and deliver (given the quoted form, as pipe(8) with flag
 * q passes it) agree, with and without extensions, in any case, for several RECIPIENT_DELIMITER settings.
 */
class AddressFormsAgreementTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String DOMAIN = "temp.example.org";
    private static final String MAILDROP = "owner@example.org";
    /** With a forged extension field, which must not reach the owner's filters. */
    private static final String MESSAGE = "From: a@example.net\nX-Tempmail-Extension: bank\nSubject: hello\n\nbody\n";
    /** Extensions tried on every address; null for none. */
    private static final String[] EXTENSIONS = {null, "shop", "Shop.Ext", "", "a b", "x\"y"};
    /** Delimiter characters tried, configured or not. */
    private static final String DELIMITERS_TRIED = "+-";

    private enum State { VALID, EXPIRED, UNKNOWN }

    @TempDir
    Path dir;

    private Config config(String delimiters, Path sendmail) throws Exception {
        Path file = dir.resolve("tempmail.cf");
        Files.writeString(file, "SHARED_SECRET=s3cret-s3cret-s3cret\nDOMAIN=" + DOMAIN + "\nMAILDROP=" + MAILDROP
                + "\nTIMEZONE=UTC\nDATABASE=caps.db\nSENDMAIL=" + sendmail + "\nRECIPIENT_DELIMITER=" + delimiters
                + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return ConfigLoader.load(file);
    }

    /** The local parts in the store and of the dated scheme, in their unquoted (internal) form. */
    private Map<String, State> addresses(Config config) throws Exception {
        Map<String, State> states = new LinkedHashMap<>();
        try (CapabilityStore store = CapabilityStore.open(config.database())) {
            store.initialise();
            // Not dot-atoms: kept by an import made before tempmail refused them.
            for (String localPart : List.of("shop.", "a b", "x..y", "a\"b", "back\\slash", "Mixed.Case",
                    "shop+x")) {
                store.create(capability(localPart, true, Optional.empty()));
                states.put(localPart, State.VALID);
            }
            store.create(capability("expiredcap", true, Optional.of(NOW.minusSeconds(3600))));
            states.put("expiredcap", State.EXPIRED);
            store.create(capability("disabledcap", false, Optional.empty()));
            states.put("disabledcap", State.UNKNOWN);
        }
        DatedAddressResolver dated = DatedAddressResolver.from(config.addresses());
        LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        states.put(localPart(dated.addressOf(today)), State.VALID);
        states.put(localPart(dated.addressOf(today.minusDays(1))), State.VALID);
        states.put(localPart(dated.addressOf(today.minusDays(2))), State.EXPIRED);
        states.put(localPart(dated.addressOf(today.minusDays(200))), State.UNKNOWN);
        states.put("nosuchaddress", State.UNKNOWN);
        return states;
    }

    private static NewCapability capability(String localPart, boolean enabled, Optional<Instant> expires) {
        return new NewCapability(localPart, DOMAIN, enabled, Optional.empty(), "note of " + localPart,
                NOW.minus(Duration.ofDays(30)), expires);
    }

    private static String localPart(String address) {
        return address.substring(0, address.lastIndexOf('@'));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "+-", "-", ""})
    void theSocketmapAndDeliverAgreeOnEveryForm(String delimiters) throws Exception {
        Config config = config(delimiters, dir.resolve("unused-sendmail"));
        Map<String, State> addresses = addresses(config);
        List<String> sent = new ArrayList<>();
        int checked = 0;
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            SocketmapResponder socketmap = new SocketmapResponder(resolver, config.socketmap());
            Deliverer deliverer = DeliverCommand.deliverer(config, resolver, (sender, recipient, message) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    message.writeTo(out);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                sent.add(out.toString(UTF_8));
            }, CLOCK, Ledgers.ledger(resolver));
            for (Map.Entry<String, State> address : addresses.entrySet()) {
                for (String extension : EXTENSIONS) {
                    for (char delimiter : (extension == null ? "+" : DELIMITERS_TRIED).toCharArray()) {
                        String internal = extension == null ? address.getKey()
                                : address.getKey() + delimiter + extension;
                        State expected = expected(address.getKey(), address.getValue(), extension, delimiter,
                                delimiters);
                        for (String spelling : spellings(internal)) {
                            sent.clear();
                            String shown = spelling + " (RECIPIENT_DELIMITER=" + delimiters + ")";
                            assertEquals(rcptReply(expected), postfixAsks(socketmap, "rcpt", spelling), shown);
                            assertEquals(expected == State.VALID ? "OK tempmail:" : "NOTFOUND ",
                                    postfixAsks(socketmap, "transport", spelling), shown);
                            assertEquals(accessReply(expected), postfixAsks(socketmap, "access", spelling), shown);
                            DeliveryOutcome outcome = deliverer.deliver(new DeliveryRequest("a@example.net",
                                    quote822(spelling), Optional.empty(), Optional.of(NOW)),
                                    new ByteArrayInputStream(MESSAGE.getBytes(UTF_8)));
                            assertEquals(expected == State.VALID ? 0 : 67, outcome.exitStatus(),
                                    shown + ": " + outcome.statusLine());
                            if (expected == State.EXPIRED) {
                                assertTrue(outcome.text().contains("expired"), outcome.statusLine());
                            }
                            if (expected == State.VALID) {
                                assertEquals(1, sent.size());
                                boolean viaBase = extension != null && !extension.isEmpty()
                                        && delimiters.indexOf(delimiter) >= 0 && !addresses.containsKey(internal);
                                // The extension is shown as the sender spelled it.
                                String spelled = viaBase ? spelling.substring(address.getKey().length() + 1,
                                        spelling.lastIndexOf('@')) : "";
                                assertEquals(viaBase, sent.get(0).contains("\nX-Tempmail-Extension: " + spelled
                                        + "\n"), shown + ":\n" + sent.get(0));
                                assertEquals(viaBase ? 1 : 0, sent.get(0).split("X-Tempmail-Extension:", -1).length
                                        - 1, shown + ":\n" + sent.get(0));
                            }
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 400, "forms checked: " + checked);
    }

    /**
     * Local parts whose unquoted form is itself a quoted string: the socketmap cannot tell them from a quoted
     * form, so they must read the same in deliver too, whatever that answer is.
     */
    @Test
    void formsThatLookQuotedInsideAgreeToo() throws Exception {
        Config config = config("+", dir.resolve("unused-sendmail"));
        Map<String, State> addresses = addresses(config);
        int agreed = 0;
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            SocketmapResponder socketmap = new SocketmapResponder(resolver, config.socketmap());
            Deliverer deliverer = DeliverCommand.deliverer(config, resolver, (sender, recipient, message) -> {
            }, CLOCK, Ledgers.ledger(resolver));
            for (String localPart : addresses.keySet()) {
                for (String internal : List.of(quote822(localPart + "@" + DOMAIN),
                        quote822(quote822(localPart + "+ext@" + DOMAIN)), "\"" + localPart + "\"@" + DOMAIN)) {
                    boolean accepted = postfixAsks(socketmap, "rcpt", internal).startsWith("OK ");
                    int status = deliverer.deliver(new DeliveryRequest("", quote822(internal), Optional.empty(),
                            Optional.of(NOW)), new ByteArrayInputStream(MESSAGE.getBytes(UTF_8))).exitStatus();
                    assertEquals(accepted ? 0 : 67, status, internal);
                    agreed++;
                }
            }
        }
        assertEquals(3 * 14, agreed);
    }

    @Test
    void deliverGivenTheQuotedFormResubmitsWithTheExtensionField() throws Exception {
        Path sendmail = dir.resolve("sendmail.sh");
        Files.writeString(sendmail, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + dir.resolve("args") + "\ncat > "
                + dir.resolve("sent") + "\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwx------"));
        Config config = config("+", sendmail);
        addresses(config);
        String today = DatedAddressResolver.from(config.addresses()).addressOf(LocalDate.ofInstant(NOW,
                ZoneOffset.UTC));
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("\"shop.\"@" + DOMAIN, null);
        cases.put("\"SHOP.+my shop\"@" + DOMAIN, "my shop");
        cases.put(today.toUpperCase(Locale.ROOT).replace("@", "+Orders@"), "Orders");
        cases.put("\"" + localPart(today) + "+a\\\"b\"@" + DOMAIN, "a\"b");
        for (Map.Entry<String, String> recipient : cases.entrySet()) {
            Files.deleteIfExists(dir.resolve("sent"));
            ToolRun run = ToolRun.of(new String[] {"--config", dir.resolve("tempmail.cf").toString(), "deliver",
                "--sender", "a@example.net", "--recipient", recipient.getKey(), "--queue-id", "4AbCd1"},
                    MESSAGE.getBytes(UTF_8), Map.of(), CLOCK);
            assertEquals(0, run.status(), recipient.getKey() + ": " + run);
            String sent = Files.readString(dir.resolve("sent"), UTF_8);
            assertTrue(sent.startsWith("X-Tempmail-To: " + recipient.getKey() + "\n"), sent);
            List<String> extensionLines = sent.lines().filter(l -> l.startsWith("X-Tempmail-Extension:")).toList();
            assertEquals(recipient.getValue() == null ? List.of()
                    : List.of("X-Tempmail-Extension: " + recipient.getValue()), extensionLines,
                    "the forged field is gone: " + sent);
            assertEquals("-G\n-i\n-f\na@example.net\n--\n" + MAILDROP + "\n",
                    Files.readString(dir.resolve("args")));
        }
        String expired = DatedAddressResolver.from(config.addresses()).addressOf(LocalDate.ofInstant(NOW,
                ZoneOffset.UTC).minusDays(2)).replace("@", "+shop@");
        ToolRun late = ToolRun.of(new String[] {"--config", dir.resolve("tempmail.cf").toString(), "deliver",
            "--sender", "a@example.net", "--recipient", expired}, MESSAGE.getBytes(UTF_8), Map.of(), CLOCK);
        assertEquals(67, late.status(), late.toString());
        assertTrue(late.out().startsWith("5.1.1 <" + expired + ">: temporary address expired on "), late.out());
    }

    private static State expected(String localPart, State state, String extension, char delimiter,
            String delimiters) {
        if (extension == null) {
            return state;
        }
        boolean split = delimiters.indexOf(delimiter) >= 0 && !containsAny(localPart, delimiters);
        return split ? state : State.UNKNOWN;
    }

    private static boolean containsAny(String text, String characters) {
        for (char c : characters.toCharArray()) {
            if (text.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** As written, upper case, alternating case, with the domain in mixed case. */
    private static List<String> spellings(String localPart) {
        StringBuilder alternating = new StringBuilder();
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            alternating.append(i % 2 == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return List.of(localPart + "@" + DOMAIN, localPart.toUpperCase(Locale.ROOT) + "@" + DOMAIN,
                alternating + "@Temp.Example.ORG");
    }

    private static String rcptReply(State state) {
        return state == State.VALID ? "OK " + MAILDROP : "NOTFOUND ";
    }

    private static String accessReply(State state) {
        return switch (state) {
            case VALID -> "OK DUNNO";
            case EXPIRED -> "OK REJECT This temporary address has expired";
            case UNKNOWN -> "NOTFOUND ";
        };
    }

    /**
     * What smtpd and trivial-rewrite get for an address in internal form: the quoted form first, then, when that
     * is not found and differs, the internal form (mail_addr_find with MA_FORM_EXTERNAL_FIRST).
     */
    private static String postfixAsks(SocketmapResponder socketmap, String map, String internal) {
        String quoted = quote822(internal);
        String first = socketmap.answer(map, quoted, NOW).text();
        if (!first.equals("NOTFOUND ") || quoted.equals(internal)) {
            return first;
        }
        return socketmap.answer(map, internal, NOW).text();
    }

    /**
     * Postfix's quote_822_local (src/global/quote_822_local.c), as pipe(8)'s q flag and mail_addr_find apply it:
     * a local part that is not an RFC 822 dot-string goes in quotes, with ", \ and CR escaped.
     */
    static String quote822(String address) {
        int at = address.lastIndexOf('@');
        String localPart = at < 0 ? address : address.substring(0, at);
        String rest = at < 0 ? "" : address.substring(at);
        if (isDotString(localPart)) {
            return address;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : localPart.toCharArray()) {
            if (c == '"' || c == '\\' || c == '\r' || c > 127) {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append('"').append(rest).toString();
    }

    private static boolean isDotString(String localPart) {
        if (localPart.isEmpty() || localPart.startsWith(".") || localPart.endsWith(".")
                || localPart.contains("..")) {
            return false;
        }
        for (char c : localPart.toCharArray()) {
            if (c > 127 || c <= ' ' || c == 127 || "()<>@,;:\\\"[]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
