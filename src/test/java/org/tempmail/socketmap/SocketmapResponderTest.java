package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tempmail.socketmap.Fixtures.EXPIRED;
import static org.tempmail.socketmap.Fixtures.EXPIRED_TEXT;
import static org.tempmail.socketmap.Fixtures.MAILDROP;
import static org.tempmail.socketmap.Fixtures.NOW;
import static org.tempmail.socketmap.Fixtures.UNKNOWN;
import static org.tempmail.socketmap.Fixtures.VALID;
import static org.tempmail.socketmap.Fixtures.VALID_YESTERDAY;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolver;

class SocketmapResponderTest {
    private final SocketmapResponder responder = Fixtures.responder();

    private String ask(String request) {
        return responder.answer(request.getBytes(StandardCharsets.ISO_8859_1), NOW).text();
    }

    @Test
    void aliasAndRecipientMapsAnswerTheMaildropForValidAddresses() {
        assertEquals("OK " + MAILDROP, ask("tempmail " + VALID));
        assertEquals("OK " + MAILDROP, ask("rcpt " + VALID));
        assertEquals("OK " + MAILDROP, ask("rcpt " + VALID_YESTERDAY));
    }

    @Test
    void aliasRecipientAndTransportMapsDoNotFindExpiredOrUnknownAddresses() {
        for (String map : new String[] {"tempmail", "rcpt", "transport"}) {
            assertEquals("NOTFOUND ", ask(map + " " + EXPIRED), map);
            assertEquals("NOTFOUND ", ask(map + " " + UNKNOWN), map);
        }
    }

    @Test
    void transportMapAnswersTheTransportForValidAddressesOnly() {
        assertEquals("OK tempmail:", ask("transport " + VALID));
        assertEquals("NOTFOUND ", ask("transport *"));
        assertEquals("NOTFOUND ", ask("transport temp.example.org"));
    }

    @Test
    void accessMapAcceptsValidRejectsExpiredAndDoesNotFindUnknown() {
        assertEquals("OK DUNNO", ask("access " + VALID));
        assertEquals("OK REJECT " + EXPIRED_TEXT, ask("access " + EXPIRED));
        assertEquals("NOTFOUND ", ask("access " + UNKNOWN));
        assertEquals("NOTFOUND ", ask("access *"));
    }

    @Test
    void keysAreComparedCaseInsensitively() {
        assertEquals("OK " + MAILDROP, ask("rcpt " + VALID.toUpperCase(Locale.ROOT)));
        assertEquals("OK tempmail:", ask("transport " + VALID.substring(0, 3) + VALID.substring(3).toUpperCase()));
    }

    @Test
    void mapNamesAreExact() {
        assertEquals("PERM unknown map RCPT", ask("RCPT " + VALID));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rcpt ", "rcpt nobody", "rcpt \"a b\"@temp.example.org", "rcpt a b@temp.example.org",
        "rcpt @temp.example.org", "rcpt temp.example.org", "rcpt \u00e9@temp.example.org", "rcpt a\u0000@temp.example.org",
        "rcpt  leading-space@temp.example.org"})
    void oddKeysAreNotFound(String request) {
        assertEquals("NOTFOUND ", ask(request));
    }

    @Test
    void validAddressWithSurroundingJunkIsNotFound() {
        assertEquals("NOTFOUND ", ask("rcpt " + VALID + " "));
        assertEquals("NOTFOUND ", ask("rcpt <" + VALID + ">"));
        assertEquals("NOTFOUND ", ask("rcpt " + VALID + "\u0000"));
    }

    @Test
    void requestIsSplitAtTheFirstSpace() {
        assertEquals("OK " + MAILDROP, ask("rcpt " + VALID));
        assertEquals("PERM unknown map rcpt??", ask("rcpt\u0000\u00ff " + VALID));
    }

    @Test
    void unknownMapIsAPermanentErrorNamingTheMap() {
        Reply reply = responder.answer("virtual x@y".getBytes(StandardCharsets.US_ASCII), NOW);
        assertEquals("PERM unknown map virtual", reply.text());
        assertTrue(reply.event().isPresent(), "an unknown map is a configuration error worth a log line");
    }

    @Test
    void requestWithoutASpaceIsAPermanentError() {
        assertEquals("PERM malformed request: expected \"name key\", got \"rcpt\"", ask("rcpt"));
        assertEquals("PERM malformed request: expected \"name key\", got \"\"", ask(""));
    }

    @Test
    void unknownMapNameIsShownSafelyAndShort() {
        String reply = ask("x".repeat(300) + "\r\n " + VALID);
        assertTrue(reply.startsWith("PERM unknown map xxxx"), reply);
        assertTrue(reply.length() < 100, reply);
    }

    @Test
    void backendFailureIsTemporaryNeverNotFound() {
        Resolver failing = (address, at) -> {
            throw new BackendException("connection refused", null);
        };
        SocketmapResponder faulty = new SocketmapResponder(failing, Fixtures.settings());
        for (String map : new String[] {"tempmail", "rcpt", "transport", "access"}) {
            Reply reply = faulty.answer(map, VALID, NOW);
            assertEquals("TEMP address backend unavailable: connection refused", reply.text(), map);
            assertTrue(reply.event().orElseThrow().contains("backend error"), reply.event().orElseThrow());
        }
    }

    @Test
    void unexpectedResolverFailureIsTemporary() {
        Resolver broken = (address, at) -> {
            throw new IllegalStateException("bug");
        };
        Reply reply = new SocketmapResponder(broken, Fixtures.settings()).answer("rcpt", VALID, NOW);
        assertEquals("TEMP internal error", reply.text());
        assertTrue(reply.event().orElseThrow().contains("IllegalStateException: bug"));
    }

    @Test
    void ordinaryAnswersAreNotLogged() {
        assertFalse(responder.answer("rcpt", VALID, NOW).event().isPresent());
        assertFalse(responder.answer("rcpt", UNKNOWN, NOW).event().isPresent());
    }

    @Test
    void mapNamesAndAnswersComeFromTheSettings() {
        var settings = Fixtures.settings();
        var custom = new org.tempmail.config.SocketmapSettings(settings.socketType(), settings.unixSocketPath(),
                settings.unixSocketOwner(), settings.unixSocketGroup(), settings.unixSocketMode(),
                settings.inetInterface(), settings.inetPort(), "alias", "recipients", "route", "policy",
                "smtp:[relay.example.org]", "gone", 512, settings.idleTimeout(), settings.requestTimeout(), 256, 128);
        SocketmapResponder customised = new SocketmapResponder(Fixtures.RESOLVER, custom);
        assertEquals("OK " + MAILDROP, customised.answer("alias", VALID, NOW).text());
        assertEquals("OK " + MAILDROP, customised.answer("recipients", VALID, NOW).text());
        assertEquals("OK smtp:[relay.example.org]", customised.answer("route", VALID, NOW).text());
        assertEquals("OK REJECT gone", customised.answer("policy", EXPIRED, NOW).text());
        assertEquals("PERM unknown map tempmail", customised.answer("tempmail", VALID, NOW).text());
    }
}
