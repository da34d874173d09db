package org.tempmail.storage;

/**
 * What tempmail says when the capability database it expects is not there. Every such line starts with
 * {@link #PHRASE}, so {@code grep 'capability database missing'} finds them in any log.
 */
final class MissingDatabase {
    static final String PHRASE = "capability database missing: ";
    private static final String CONSEQUENCE = "lookups answer TEMP and deliveries wait until it is back";

    private MissingDatabase() {
    }

    /** The SQLite file (or its directory) is not where DATABASE says. */
    static String noFile(String where) {
        return PHRASE + where + ": no such file; " + CONSEQUENCE + ". Mount its volume or restore the file; "
                + "for a new installation, `tempmail init` creates it";
    }

    /** The database is there but holds no tempmail schema. */
    static String noSchema(String where) {
        return PHRASE + where + ": holds no tempmail tables; " + CONSEQUENCE + ". Restore it; for a new "
                + "installation, `tempmail init` creates them";
    }

    /** DATABASE is not set, and the former default file does not exist either. */
    static String notSet(String where) {
        return where + ": no database for capability addresses: set DATABASE in tempmail.cf (e.g. "
                + "DATABASE=/var/lib/tempmail/tempmail.db), then run `tempmail init`";
    }
}
