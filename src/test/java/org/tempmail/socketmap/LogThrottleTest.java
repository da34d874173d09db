package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void oneLinePerKindAndIntervalThenHowManyWereHeldBack() {
        Hands clock = new Hands();
        LogThrottle throttle = new LogThrottle(clock, Duration.ofSeconds(60));
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            clock.now = START.plusMillis(i * 50L);
            if (throttle.admit("TEMP db", "line " + i).isPresent()) {
                logged++;
            }
        }
        assertEquals(1, logged, "1000 failures in 50 s: one line");
        assertEquals(Optional.of("other"), throttle.admit("TEMP other", "other"), "another kind is not held back");
        clock.now = START.plusSeconds(60);
        assertEquals(Optional.of("again (and 999 more like it since 2026-11-22T10:00:00Z, not logged)"),
                throttle.admit("TEMP db", "again"));
        clock.now = START.plusSeconds(121);
        assertEquals(Optional.of("later"), throttle.admit("TEMP db", "later"), "nothing held back since");
    }

    @Test
    void manyKindsKeepMemoryBounded() {
        LogThrottle throttle = new LogThrottle(new Hands(), Duration.ofSeconds(60));
        for (int i = 0; i < LogThrottle.MAX_KINDS * 3; i++) {
            assertEquals(Optional.of("x"), throttle.admit("kind " + i, "x"));
        }
    }
}
