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
        return isPostgresql() ? withoutPassword(location) : location;
    }

    /** Never the password, wherever a record's generated text would end up. */
    @Override
    public String toString() {
        return describe();
    }

    /** A JDBC URL with the value of its password parameter masked. */
    static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
