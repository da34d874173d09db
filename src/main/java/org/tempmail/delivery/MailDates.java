package org.tempmail.delivery;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** RFC 5322 date-times: written with a numeric zone, read leniently (comments such as "(UTC)" ignored). */
public final class MailDates {
    private static final DateTimeFormatter WRITTEN =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private MailDates() {
    }

    public static String format(Instant instant, ZoneId zone) {
        return WRITTEN.format(ZonedDateTime.ofInstant(instant, zone));
    }

    public static Optional<Instant> parse(String text) {
        String plain = withoutComments(text).replaceAll("\\s+", " ").strip();
        if (plain.endsWith(" UT")) {
            plain = plain + "C";
        }
        plain = plain.replaceFirst(" UTC$", " +0000");
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
