package org.tempmail.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where capability addresses are kept: an SQLite file or a PostgreSQL JDBC URL.
 *
 * @param location the absolute SQLite file, or the jdbc:postgresql:// URL
 * @param explicit whether tempmail.cf sets DATABASE; an unset default that does not exist yet means "no
 *                 capability addresses", not a failing store
 */
public record DatabaseSettings(String location, boolean explicit) {
    public static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    /** The default when a Config is built without storage settings. */
    public static DatabaseSettings unset() {
        return new DatabaseSettings(Key.DATABASE.defaultValue(), false);
    }

    public boolean isPostgresql() {
        return location.toLowerCase(Locale.ROOT).startsWith(POSTGRESQL_PREFIX);
    }

    /** The SQLite file; only for a location that is not a PostgreSQL URL. */
    public Path sqliteFile() {
        if (isPostgresql()) {
            throw new IllegalStateException("DATABASE is a PostgreSQL URL, not a file");
        }
        return Path.of(location);
    }

    /** The location as an administrator may read it in a log: a PostgreSQL URL without its password. */
    public String describe() {
        return isPostgresql() ? location.replaceAll("(?i)(password=)[^&]*", "$1***") : location;
    }
}
