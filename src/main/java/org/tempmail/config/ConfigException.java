package org.tempmail.config;

/**
 * A configuration that cannot be used. The message, for the administrator, names the file, line and key and the
 * fix, and never quotes a line's contents (a misplaced secret would be shown); {@link #publicReason()} is what a
 * sender may read when a delivery defers: no file, no value.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String publicReason;

    public ConfigException(String message, String publicReason) {
        super(message);
        this.publicReason = publicReason;
    }

    /** A problem with a line of the file, and with its key when there is one ({@code null}: none). */
    static ConfigException at(int line, String key, String message) {
        String where = line > 0 ? "line " + line : "";
        if (key != null) {
            where += (where.isEmpty() ? "" : ", ") + "key " + key;
        }
        return new ConfigException(message, "configuration error (" + where + ")");
    }

    /** Short, and safe for a sender to read: no path, no value. */
    public String publicReason() {
        return publicReason;
    }
}
