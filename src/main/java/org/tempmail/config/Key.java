package org.tempmail.config;

import java.util.Optional;

/** Every key tempmail.cf may hold, with its default ({@code null}: required or unset) and meaning. */
public enum Key {
    SHARED_SECRET(null, "The secret the daily addresses are derived from (or use SHARED_SECRET_FILE). Required with "
            + "MAILDROP; with DATABASE set, both may be left out when every owner is kept there."),
    SHARED_SECRET_FILE(null, "A file holding the secret; one trailing newline is stripped. Relative to tempmail.cf."),
    PREVIOUS_SHARED_SECRET(null, "While rotating: the secret before SHARED_SECRET; it only validates old addresses."),
    PREVIOUS_SHARED_SECRET_FILE(null,
            "While rotating: a file holding the previous secret (or use PREVIOUS_SHARED_SECRET)."),
    PREVIOUS_SHARED_SECRET_LAST_DAY(null,
            "The day of the rotation (YYYY-MM-DD): the previous secret's last addresses."),
    DOMAIN(null, "The domain of the temporary addresses."),
    MAILDROP(null, "The permanent address that mail to temporary addresses goes to. Set with SHARED_SECRET (or "
            + "SHARED_SECRET_FILE); with DATABASE, neither when every owner is kept there."),
    LENGTH("8", "Length of the local part: 1..32 for md5, 8..64 for hmac-sha256."),
    SCHEME("hmac-sha256", "hmac-sha256, or md5 for postfix-tempmail's addresses."),
    VALID_DAYS("2", "Days an address stays valid: 2 = today's and yesterday's."),
    RECIPIENT_DELIMITER("+", "Characters that start an address extension (1a2b3c4d+shop@...), as Postfix's "
            + "recipient_delimiter; empty: none."),
    TIMEZONE(null, "Time zone whose calendar days count (e.g. Europe/Berlin); default: the system's."),
    SOCKETMAP_SOCKET_TYPE("unix", "unix or inet."),
    SOCKETMAP_UNIX_SOCKET_PATH("/var/spool/postfix/tempmail/socketmap", "Path of the unix socket."),
    SOCKETMAP_UNIX_SOCKET_OWNER_UID(null, "Owner of the unix socket, name or number; default: the server's user."),
    SOCKETMAP_UNIX_SOCKET_OWNER_GID(null, "Group of the unix socket, name or number; default: the server's group."),
    SOCKETMAP_UNIX_SOCKET_MODE("0660", "Permissions of the unix socket, octal."),
    SOCKETMAP_INET_INTERFACE("127.0.0.1", "Address to listen on with inet."),
    SOCKETMAP_INET_PORT("10000", "TCP port to listen on with inet."),
    SOCKETMAP_NAME("tempmail", "Map answering OK <MAILDROP>, for virtual_alias_maps."),
    SOCKETMAP_RCPT_NAME("rcpt", "Map answering OK <MAILDROP>, for relay_recipient_maps."),
    SOCKETMAP_TRANSPORT_NAME("transport", "Map answering OK <TRANSPORT>, for transport_maps."),
    SOCKETMAP_ACCESS_NAME("access", "Map answering OK DUNNO or OK REJECT, for check_recipient_access."),
    TRANSPORT("tempmail:", "What the transport map answers for a valid address."),
    ACCESS_EXPIRED_TEXT("This temporary address has expired", "Text the access map rejects expired addresses with."),
    SOCKETMAP_MAX_NETSTRING_LENGTH("512", "Longest request accepted, in bytes."),
    SOCKETMAP_IDLE_TIMEOUT("60", "Seconds a client may go without an answered request before it is disconnected."),
    SOCKETMAP_REQUEST_TIMEOUT("5", "Seconds a client may take to send one whole request, or to read one answer."),
    SOCKETMAP_MAX_CONNECTIONS("256", "Most clients served at once; when all are taken, the longest unanswered one "
            + "makes room."),
    SOCKETMAP_MAX_CONNECTIONS_PER_PEER(null, "Most connections one remote address may hold (loopback and unix "
            + "clients: no limit); default: half of SOCKETMAP_MAX_CONNECTIONS."),
    PARSER_RUN_UID(null, "Accepted for postfix-tempmail compatibility; not needed, the server runs as one user."),
    SUBJECT_TAG(null, "Tag put before the Subject of delivered mail, once (e.g. [temp]); never before a Subject "
            + "that a DKIM or ARC signature covers."),
    STRIP_HEADERS(null, "Header fields removed on delivery, separated by commas or spaces. Removing a field that "
            + "a signature covers breaks the signature."),
    SENDMAIL("/usr/sbin/sendmail", "The sendmail that resubmits mail to the MAILDROP."),
    SENDMAIL_TIMEOUT("300", "Seconds sendmail may take before it is killed and delivery deferred."),
    DELIVERY_SOCKET(null, "Unix socket (absolute path) on which serve takes deliveries from deliver; off when unset."),
    SPOOL_DIRECTORY(null, "Private directory (mode 0700) a message is written to whole before sendmail reads it; "
            + "default: tempmail-USER in the system's temporary directory."),
    LMTP_LISTEN(null, "Where serve takes mail by LMTP: unix:PATH (unix alone: " + LmtpSettings.DEFAULT_UNIX_SOCKET
            + ") or inet:HOST:PORT; off when unset."),
    LMTP_UNIX_SOCKET_OWNER_UID(null, "Owner of the LMTP unix socket, name or number; default: the server's user."),
    LMTP_UNIX_SOCKET_OWNER_GID(null, "Group of the LMTP unix socket, name or number; default: the server's group."),
    LMTP_UNIX_SOCKET_MODE("0660", "Permissions of the LMTP unix socket, octal."),
    LMTP_MAX_SESSIONS("32", "Most LMTP sessions at once; more get 421 and Postfix tries again later."),
    LMTP_MESSAGE_SIZE_LIMIT("52428800", "Largest message taken by LMTP, in bytes (announced as SIZE); larger: 552."),
    LMTP_TIMEOUT("300", "Seconds an LMTP client may go without sending while the server waits for it."),
    LMTP_REINJECT(null, "inet:HOST:PORT of a reinjection smtpd (FILTER_README) LMTP deliveries resubmit to "
            + "instead of SENDMAIL; unset: SENDMAIL."),
    DATABASE("/var/lib/tempmail/tempmail.db",
            "Capability addresses: an SQLite file (relative to tempmail.cf) or a jdbc:postgresql:// URL, made by "
                    + "tempmail init; once set, it must exist.");

    private final String defaultValue;
    private final String description;

    Key(String defaultValue, String description) {
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The default, or {@code null} when the key has none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static Optional<Key> named(String name) {
        for (Key key : values()) {
            if (key.name().equals(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }
}
