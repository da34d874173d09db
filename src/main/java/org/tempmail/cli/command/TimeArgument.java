package org.tempmail.cli.command;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads the ISO-8601 times people give with --at; a time without an offset is in the configured zone. */
public final class TimeArgument {
    private TimeArgument() {
    }

    public static Instant parse(String text, ZoneId zone) throws UsageException {
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.ISO_DATE_TIME).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // fall through to the forms read in the configured zone
        }
        try {
            return LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException notLocalDateTime) {
            // fall through
        }
        try {
            return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notDate) {
            throw new UsageException("--at: \"" + text + "\" is not an ISO-8601 time "
                    + "(expected 2026-11-22, 2026-11-22T23:59 or 2026-11-22T23:59+01:00)");
        }
    }
}
