package org.tempmail.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where capability addresses are kept: an SQLite file or a PostgreSQL JDBC URL.
 *
 * @param location the absolute SQLite file, or the jdbc:postgresql:// URL
 * @param explicit whether tempmail.cf sets DATABASE. Only then is a database expected: one that is missing, or
 *                 holds no tempmail tables, is a failure (TEMP, deferral) until it is back or {@code tempmail init}
 *                 makes a new one. Unset, the former default file is read if it exists, and its absence means
 *                 "no capability addresses"
 * @param origin   where the setting comes from, for messages: {@code /etc/postfix/tempmail.cf:70: DATABASE}
 */
public record DatabaseSettings(String location, boolean explicit, String origin) {
    public static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    /** Settings that name no file and line, as tests and tools build them. */
    public DatabaseSettings(String location, boolean explicit) {
        this(location, explicit, explicit ? "DATABASE" : "DATABASE (not set)");
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
