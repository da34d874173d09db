package org.tempmail.socketmap;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;
import org.tempmail.config.SocketType;
import org.tempmail.config.SocketmapSettings;

/** One fixed configuration and instant the socketmap tests share. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String MAILDROP = "owner@example.org";
    static final String EXPIRED_TEXT = "This temporary address has expired";
    static final DatedAddressResolver RESOLVER = DatedAddressResolver.from(new AddressSettings(
            SchemeName.HMAC_SHA256, new Secret("socketmap test secret"), 8, "temp.example.org", MAILDROP, 2,
            ZoneOffset.UTC, "+"));
    /** Today's address. */
    static final String VALID = RESOLVER.validAddresses(NOW).get(0);
    /** Yesterday's address: still valid with VALID_DAYS=2. */
    static final String VALID_YESTERDAY = RESOLVER.validAddresses(NOW).get(1);
    /** The address of two days ago: expired with VALID_DAYS=2. */
    static final String EXPIRED = RESOLVER.addressOf(LocalDate.of(2026, 11, 20));
    static final String UNKNOWN = "nobody@temp.example.org";

    private Fixtures() {
    }

    static SocketmapSettings settings() {
        return new SocketmapSettings(SocketType.INET, Path.of("/nonexistent/socketmap"), Optional.empty(),
                Optional.empty(), 0660, "127.0.0.1", 10000, "tempmail", "rcpt", "transport", "access", "tempmail:",
                EXPIRED_TEXT, 512, Duration.ofSeconds(60), Duration.ofSeconds(5), 256, 128);
    }

    /** The server's limits with a request timeout of 5 s and no per-peer limit below the total. */
    static SocketmapServer.Limits limits(Duration idleTimeout, int maxConnections) {
        return new SocketmapServer.Limits(512, idleTimeout, Duration.ofSeconds(5), maxConnections, maxConnections);
    }

    static SocketmapResponder responder() {
        return new SocketmapResponder(RESOLVER, settings());
    }
}
