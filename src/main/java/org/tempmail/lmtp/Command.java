package org.tempmail.lmtp;

import java.util.Locale;

/** One LMTP command line: the verb in upper case and the rest as sent. */
public record Command(String verb, String argument) {
    public static Command parse(String line) {
        String trimmed = line.stripLeading();
        int space = trimmed.indexOf(' ');
        String verb = space < 0 ? trimmed : trimmed.substring(0, space);
        String argument = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return new Command(verb.toUpperCase(Locale.ROOT), argument);
    }
}
