package org.tempmail.lmtp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The argument of MAIL FROM: and RCPT TO:, {@code FROM:<address> KEY=VALUE ...}: the address between the angle
 * brackets as sent (quoted local parts stay quoted, as pipe(8) hands them to deliver with its q flag) and the
 * parameters, keys in upper case.
 */
public record EnvelopePath(String address, Map<String, String> parameters) {
    public EnvelopePath {
        parameters = Map.copyOf(parameters);
    }

    /** Empty when the argument does not start with {@code prefix} (FROM: or TO:) and an address in brackets. */
    public static Optional<EnvelopePath> parse(String argument, String prefix) {
        if (!argument.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return Optional.empty();
        }
        String rest = argument.substring(prefix.length()).stripLeading();
        if (!rest.startsWith("<")) {
            return Optional.empty();
        }
        int close = closingBracket(rest);
        if (close < 0) {
            return Optional.empty();
        }
        String address = rest.substring(1, close);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String word : rest.substring(close + 1).strip().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int equals = word.indexOf('=');
            String key = (equals < 0 ? word : word.substring(0, equals)).toUpperCase(Locale.ROOT);
            if (key.isEmpty()) {
                return Optional.empty();
            }
            parameters.put(key, equals < 0 ? "" : word.substring(equals + 1));
        }
        return Optional.of(new EnvelopePath(address, parameters));
    }

    /** The '>' that ends the address; one inside a quoted local part does not. */
    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
