package org.tempmail.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, as numbered steps applied in order and recorded in tempmail_schema. One list serves both databases;
 * {@code {id}} stands for the dialect's generated key. Released steps never change: new needs get a new step.
 */
final class Migrations {
    record Step(int version, String description, List<String> statements) {
    }

    static final List<Step> STEPS = List.of(
            new Step(1, "capability addresses and counted queue ids", List.of(
                    """
                    CREATE TABLE capability (
                        id {id},
                        local_part VARCHAR(64) NOT NULL,
                        local_part_key VARCHAR(64) NOT NULL,
                        domain VARCHAR(253) NOT NULL,
                        enabled BOOLEAN NOT NULL DEFAULT TRUE,
                        target VARCHAR(320),
                        note TEXT NOT NULL DEFAULT '',
                        created BIGINT NOT NULL,
                        expires BIGINT,
                        first_sender TEXT,
                        first_seen BIGINT,
                        last_seen BIGINT,
                        message_count BIGINT NOT NULL DEFAULT 0,
                        CONSTRAINT capability_address UNIQUE (domain, local_part_key))""",
                    "CREATE INDEX capability_created ON capability (created)",
                    """
                    CREATE TABLE counted_message (
                        capability_id BIGINT NOT NULL REFERENCES capability (id),
                        queue_id VARCHAR(64) NOT NULL,
                        counted BIGINT NOT NULL,
                        PRIMARY KEY (capability_id, queue_id))""",
                    "CREATE INDEX counted_message_counted ON counted_message (counted)")),
            // domain and valid_days NULL mean DOMAIN and VALID_DAYS of tempmail.cf, followed when they change.
            // owner_version counts every change of owners, so a server learns of one with a one-row read; changed
            // (an owner's) and owner_removed (a removed owner's id) hold the version of the change, so that it
            // then reads only what changed.
            new Step(2, "owners, their capability addresses and a version counter", List.of(
                    """
                    CREATE TABLE owner (
                        id {id},
                        name VARCHAR(64) NOT NULL,
                        maildrop VARCHAR(320) NOT NULL,
                        secret VARCHAR(200) NOT NULL,
                        previous_secret VARCHAR(200),
                        previous_last_day BIGINT,
                        domain VARCHAR(253),
                        valid_days INTEGER,
                        enabled BOOLEAN NOT NULL DEFAULT TRUE,
                        created BIGINT NOT NULL,
                        changed BIGINT NOT NULL,
                        CONSTRAINT owner_name UNIQUE (name))""",
                    "CREATE INDEX owner_changed ON owner (changed)",
                    "CREATE TABLE owner_removed (owner_id BIGINT NOT NULL, version BIGINT NOT NULL)",
                    "CREATE INDEX owner_removed_version ON owner_removed (version)",
                    "ALTER TABLE capability ADD COLUMN owner_id BIGINT REFERENCES owner (id)",
                    "CREATE INDEX capability_owner ON capability (owner_id)",
                    "CREATE TABLE owner_version (singleton INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
                    "INSERT INTO owner_version (singleton, version) VALUES (1, 0)")),
            // owner_removed rows are pruned after a while (removed: when, in epoch ms; NULL for rows made before
            // this step); pruned_through is the newest version pruned, so that a server whose version is older
            // knows it cannot read the removals since and reads every owner instead.
            new Step(3, "pruning of removed owners' ids", List.of(
                    "ALTER TABLE owner_removed ADD COLUMN removed BIGINT",
                    "ALTER TABLE owner_version ADD COLUMN pruned_through BIGINT NOT NULL DEFAULT 0")));

    /** An arbitrary constant that serialises concurrent migrations of one PostgreSQL database. */
    private static final long POSTGRESQL_LOCK = 0x74656d706d61696cL;

    private Migrations() {
    }

    static int latestVersion() {
        return STEPS.get(STEPS.size() - 1).version();
    }

    /**
     * Brings an existing schema to the latest version; safe when several processes start at once. Only
     * {@code tempmail init} ({@code create}) makes a schema where there is none: anywhere else a database without
     * one has lost its tables, and a new, empty schema would turn every capability address into "no such address".
     *
     * @return the schema version found before, 0 when {@code create} made the schema
     */
    static int apply(Connection connection, Dialect dialect, String database, boolean create)
            throws SQLException, StoreException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                statement.execute("SELECT pg_advisory_xact_lock(" + POSTGRESQL_LOCK + ")");
            }
            // No DDL on an up-to-date schema, so a PostgreSQL role with data rights only can run tempmail.
            if (!hasSchemaTable(connection)) {
                if (!create) {
                    throw new StoreException(MissingDatabase.noSchema(database));
                }
                if (hasTables(connection)) {
                    throw new StoreException(database + ": holds tables but no tempmail_schema: not a tempmail "
                            + "database; point DATABASE at an empty or a new one");
                }
                statement.execute("CREATE TABLE IF NOT EXISTS tempmail_schema (version INTEGER PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, applied BIGINT NOT NULL)");
            }
            int current = currentVersion(connection);
            if (current > latestVersion()) {
                throw new StoreException(database + ": schema version " + current + " is newer than this tempmail "
                        + "knows (" + latestVersion() + "); upgrade tempmail");
            }
            for (Step step : STEPS) {
                if (step.version() > current) {
                    for (String sql : step.statements()) {
                        statement.execute(sql.replace("{id}", dialect.identityColumn()));
                    }
                    try (PreparedStatement record = connection.prepareStatement(
                            "INSERT INTO tempmail_schema (version, description, applied) VALUES (?, ?, ?)")) {
                        record.setInt(1, step.version());
                        record.setString(2, step.description());
                        record.setLong(3, System.currentTimeMillis());
                        record.executeUpdate();
                    }
                }
            }
            connection.commit();
            return current;
        } catch (SQLException | StoreException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean hasSchemaTable(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, null, "tempmail_schema", null)) {
            return tables.next();
        }
    }

    /** Tables of any kind in the database's current schema (PostgreSQL) or file (SQLite). */
    private static boolean hasTables(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), "%",
                new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    private static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM tempmail_schema")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }
}
