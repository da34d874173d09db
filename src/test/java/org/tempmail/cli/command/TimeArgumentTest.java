package org.tempmail.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.tempmail.cli.command.TimeArgument;
import org.tempmail.cli.command.UsageException;

class TimeArgumentTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void aDateIsTheStartOfThatDayInTheConfiguredZone() throws Exception {
        assertEquals(Instant.parse("2026-11-21T23:00:00Z"), TimeArgument.parse("2026-11-22", BERLIN));
    }

    @Test
    void aLocalTimeIsReadInTheConfiguredZone() throws Exception {
        assertEquals(Instant.parse("2026-11-22T22:59:00Z"), TimeArgument.parse("2026-11-22T23:59", BERLIN));
        assertEquals(Instant.parse("2026-07-01T10:00:30Z"), TimeArgument.parse("2026-07-01T12:00:30", BERLIN));
    }

    @Test
    void anOffsetOrZoneWins() throws Exception {
        assertEquals(Instant.parse("2026-11-22T22:59:00Z"), TimeArgument.parse("2026-11-22T23:59+01:00", BERLIN));
        assertEquals(Instant.parse("2026-11-22T23:59:00Z"), TimeArgument.parse("2026-11-22T23:59Z", BERLIN));
        assertEquals(Instant.parse("2026-11-23T02:59:00Z"),
                TimeArgument.parse("2026-11-22T23:59-03:00[America/Sao_Paulo]", BERLIN));
    }

    @Test
    void anythingElseIsAUsageError() {
        for (String text : new String[] {"", "tomorrow", "22.11.2026", "2026-11-31", "2026-11-22 23:59"}) {
            assertThrows(UsageException.class, () -> TimeArgument.parse(text, BERLIN), text);
        }
    }
}
