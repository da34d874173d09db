package org.tempmail.storage;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** What `tempmail owner add` or an import asks the store to keep; the store makes the secret. */
public record NewOwner(String name, String maildrop, Optional<String> domain, OptionalInt validDays,
        Instant created) {
    /** Lowercase, so that a name never reads two ways; dots, underscores and hyphens inside. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    public static final int MAX_NAME_LENGTH = 64;

    public NewOwner {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("owner name \"" + name + "\" is not " + NAME.pattern());
        }
    }

    public static boolean isValidName(String name) {
        return name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }
}
