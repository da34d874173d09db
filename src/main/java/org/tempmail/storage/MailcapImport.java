package org.tempmail.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;
import org.tempmail.address.AddressForm;

/**
 * Reads an SQLite database in the mailcapdb schema (tables caps, aliases, mailboxes) into the store. A cap joined
 * to an alias keeps the alias as its target; one delivered to a local mailbox goes to the MAILDROP. Addresses
 * that exist already are skipped, so an import can be repeated. A cap written in quotes is taken without them
 * when what is inside is a dot-atom ({@code "shop"} becomes shop); any other cap that is not a dot-atom
 * ({@code shop.}, {@code a b}, {@code x..y}) is refused: only quoting could carry it through SMTP, and many
 * senders and forms cannot quote.
 */
public final class MailcapImport {
    private static final DateTimeFormatter SQL_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What an import did: addresses added, caps taken without their quotes, and caps skipped with the reason. */
    public record Result(List<String> imported, List<String> unquoted, List<String> skipped) {
    }

    private MailcapImport() {
    }

    /** Imports every cap as an address in the given domain; caps without a created time get {@code now}. */
    public static Result run(Path mailcapFile, CapabilityStore store, String domain, Instant now)
            throws StoreException {
        List<NewCapability> caps = read(mailcapFile, domain, now);
        List<String> imported = new ArrayList<>();
        List<String> unquoted = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (NewCapability cap : caps) {
            String localPart = AddressForm.unquote(cap.localPart());
            if (!AddressForm.isDotAtom(localPart)) {
                skipped.add(cap.address() + ": not a dot-atom (letters, digits, !#$%&'*+/=?^_`{|}~- and single "
                        + "dots between them), senders would have to quote it; mail to it is refused at RCPT");
                continue;
            }
            NewCapability address = new NewCapability(localPart, cap.domain(), cap.enabled(), cap.target(),
                    cap.note(), cap.created(), cap.expires());
            try {
                store.create(address);
                imported.add(address.address());
                if (!localPart.equals(cap.localPart())) {
                    unquoted.add(cap.address() + " as " + address.address());
                }
            } catch (DuplicateAddressException e) {
                skipped.add(address.address() + ": exists already");
            }
        }
        return new Result(imported, unquoted, skipped);
    }

    static List<NewCapability> read(Path mailcapFile, String domain, Instant now)
            throws StoreException {
        if (!Files.isRegularFile(mailcapFile)) {
            throw new StoreException(mailcapFile + ": no such file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + mailcapFile,
                config.toProperties());
                Statement statement = connection.createStatement()) {
            requireTable(connection, mailcapFile, "caps");
            boolean hasAliases = hasTable(connection, "aliases");
            String sql = hasAliases
                    ? "SELECT caps.*, aliases.alias AS tempmail_alias FROM caps "
                            + "LEFT JOIN aliases ON aliases.id = caps.alias_id ORDER BY caps.rowid"
                    : "SELECT caps.*, NULL AS tempmail_alias FROM caps ORDER BY caps.rowid";
            List<NewCapability> caps = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            try (ResultSet row = statement.executeQuery(sql)) {
                Set<String> columns = columns(row.getMetaData());
                while (row.next()) {
                    String cap = row.getString("cap");
                    if (cap == null || cap.isBlank() || !seen.add(cap.toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    // mailcapdb delivered a cap only through its alias or its mailbox; one with neither took no
                    // mail there, so it comes over disabled.
                    boolean routed = !(columns.contains("alias_id") || columns.contains("mailbox_id"))
                            || isSet(row, columns, "alias_id") || isSet(row, columns, "mailbox_id");
                    boolean enabled = routed && (!columns.contains("enabled") || row.getInt("enabled") != 0);
                    String note = columns.contains("note") ? row.getString("note") : null;
                    Instant created = columns.contains("created")
                            ? createdTime(row.getString("created")).orElse(now) : now;
                    Optional<String> alias = Optional.ofNullable(row.getString("tempmail_alias"))
                            .filter(a -> !a.isBlank());
                    caps.add(new NewCapability(cap.strip(), domain, enabled, alias, note == null ? "" : note,
                            created, Optional.empty()));
                }
            }
            return caps;
        } catch (SQLException e) {
            throw new StoreException(mailcapFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean isSet(ResultSet row, Set<String> columns, String column) throws SQLException {
        return columns.contains(column) && row.getObject(column) != null;
    }

    private static void requireTable(Connection connection, Path file, String table)
            throws SQLException, StoreException {
        if (!hasTable(connection, table)) {
            throw new StoreException(file + ": not a mailcapdb database (it has no table \"" + table + "\")");
        }
    }

    private static boolean hasTable(Connection connection, String table) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        }
    }

    private static Set<String> columns(ResultSetMetaData meta) throws SQLException {
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** MySQL-style "2019-03-04 05:06:07" (SQLite's CURRENT_TIMESTAMP, in UTC) or ISO-8601. */
    private static Optional<Instant> createdTime(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(text.strip(), SQL_TIMESTAMP).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notSqlTimestamp) {
            try {
                return Optional.of(Instant.parse(text.strip()));
            } catch (DateTimeParseException notIso) {
                return Optional.empty();
            }
        }
    }
}
