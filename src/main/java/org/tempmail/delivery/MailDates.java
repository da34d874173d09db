package org.tempmail.delivery;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** RFC 5322 date-times: written with a numeric zone, read leniently (comments such as "(UTC)" ignored). */
public final class MailDates {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private MailDates() {
    }

    /**
     * "Tue, 24 Nov 2026 00:00:00 +0100". Written by hand: a localized DateTimeFormatter loads locale data, which
     * costs each short-lived deliver process more time than all of its header work.
     */
    public static String format(Instant instant, ZoneId zone) {
        ZonedDateTime time = ZonedDateTime.ofInstant(instant, zone);
        int offsetMinutes = time.getOffset().getTotalSeconds() / 60;
        StringBuilder text = new StringBuilder(31)
                .append(DAYS[time.getDayOfWeek().getValue() - 1]).append(", ")
                .append(time.getDayOfMonth()).append(' ')
                .append(MONTHS[time.getMonthValue() - 1]).append(' ')
                .append(time.getYear()).append(' ');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        twoDigits(text, time.getSecond()).append(' ').append(offsetMinutes < 0 ? '-' : '+');
        twoDigits(text, Math.abs(offsetMinutes) / 60);
        return twoDigits(text, Math.abs(offsetMinutes) % 60).toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    public static Optional<Instant> parse(String text) {
        String plain = String.join(" ", withoutComments(text).strip().split("[ \t\r\n]+"));
        if (plain.endsWith(" UT") || plain.endsWith(" UTC")) {
            plain = plain.substring(0, plain.lastIndexOf(' ')) + " +0000";
        }
        try {
            return Optional.of(ZonedDateTime.parse(plain, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String withoutComments(String text) {
        StringBuilder plain = new StringBuilder(text.length());
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                plain.append(' ');
            } else if (depth == 0) {
                plain.append(c);
            }
        }
        return plain.toString();
    }
}
