package org.tempmail.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;
import org.tempmail.config.DatabaseSettings;

/**
 * Connections to the configured database, kept for reuse, with the schema checked (and upgraded) on first use.
 * Thread-safe. A connection that saw an error is closed, never reused. Nothing but {@link #initialise()} creates
 * a database or its tables: a database that is expected and missing stays a failure.
 */
final class Database implements AutoCloseable {
    /** How long an SQLite writer waits for another one before giving up. */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /**
     * Connections open at once. The socketmap server serves each client on its own thread; beyond this many
     * concurrent lookups wait for a connection rather than open more (a PostgreSQL server has a limit too).
     */
    static final int MAX_CONNECTIONS = 16;
    private static final long WAIT_FOR_CONNECTION_SECONDS = 10;
    private static final long VALIDATE_AFTER_IDLE_MILLIS = 10_000;

    /** One piece of work on a connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException, StoreException;
    }

    /** Stands for "the server" where PostgreSQL has no file whose identity could change. */
    private static final Object POSTGRESQL_SERVER = new Object();

    /** @param file the identity of the SQLite file the connection opened */
    private record Idle(Connection connection, long since, Object file) {
    }

    private final DatabaseSettings settings;
    private final Dialect dialect;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS, true);
    /** The file (or server) whose schema was checked; another file at the same path is checked again. */
    private volatile Object migratedFile;
    private boolean closed;

    Database(DatabaseSettings settings) {
        this.settings = settings;
        this.dialect = settings.isPostgresql() ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    String describe() {
        return settings.describe();
    }

    /** The database and the line of tempmail.cf that names it. */
    String where() {
        return describe() + " (" + settings.origin() + ")";
    }

    /** A warning when other users may read the SQLite file (see CapabilityStore#exposure). */
    Optional<String> exposure() {
        if (dialect != Dialect.SQLITE) {
            return Optional.empty();
        }
        Path file = settings.sqliteFile();
        try {
            if (!Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                return Optional.empty();
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        return Optional.of(where() + " holds the owners' secrets and every user can read it: chmod o-rwx " + file
                + " (and its -wal and -shm files); the users that run tempmail need it, nobody else");
    }

    /**
     * True when DATABASE is not set and the former default file does not exist: there are no capability
     * addresses, and reading needs no database. When DATABASE is set, a database is expected and this is false.
     */
    boolean absentDefault() {
        return dialect == Dialect.SQLITE && !settings.explicit() && Files.notExists(settings.sqliteFile());
    }

    /**
     * Makes the database (an SQLite file in an existing directory) and its schema where there is none, and
     * upgrades an older schema; an up-to-date one is left alone.
     *
     * @return the schema version found, 0 when this made the schema
     */
    int initialise() throws StoreException {
        if (!settings.explicit()) {
            throw new StoreException(MissingDatabase.notSet(where()));
        }
        if (dialect == Dialect.SQLITE) {
            Path directory = settings.sqliteFile().toAbsolutePath().getParent();
            if (directory != null && !Files.isDirectory(directory)) {
                throw new StoreException(where() + ": the directory " + directory + " does not exist; create it, "
                        + "writable by the users that run tempmail (install -d -o tempmail -g tempmail -m 0770 "
                        + directory + ")");
            }
        }
        try (Connection connection = dialect == Dialect.SQLITE ? openSqlite(true) : openPostgresql()) {
            int found = Migrations.apply(connection, dialect, where(), true);
            migratedFile = null;
            if (found == 0 && dialect == Dialect.SQLITE) {
                keepFromOthers(settings.sqliteFile());
            }
            return found;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** A new file gets mode 0660: it will hold owners' secrets, and the umask usually lets every user read. */
    private static void keepFromOthers(Path file) throws StoreException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own access rules apply.
        } catch (IOException e) {
            throw new StoreException(file + ": cannot set mode 0660: " + e.getMessage(), e);
        }
    }

    /** Runs work on a connection; SQL errors become a StoreException naming the database. */
    <T> T with(Work<T> work) throws StoreException {
        Object file = currentFile();
        Connection connection = borrow(file);
        boolean healthy = false;
        try {
            T result = work.run(connection);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            giveBack(connection, healthy, file);
        }
    }

    /** Runs work in one transaction, committed when it returns and rolled back when it throws. */
    <T> T inTransaction(Work<T> work) throws StoreException {
        return with(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | StoreException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    StoreException failure(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String first = message.lines().findFirst().orElse(message).strip();
        if (isMissingSchema(e)) {
            return new StoreException(MissingDatabase.noSchema(where()) + " (" + first + ")", e);
        }
        return new StoreException(describe() + ": " + first, e);
    }

    /** A table or the whole PostgreSQL database is gone: lost, never "no such address". */
    private static boolean isMissingSchema(SQLException e) {
        return "42P01".equals(e.getSQLState()) || "3D000".equals(e.getSQLState())
                || String.valueOf(e.getMessage()).contains("no such table");
    }

    /**
     * The identity of the SQLite file now at DATABASE's path. Asked on every use: SQLite's open connections would
     * go on reading a file deleted or moved away, so a running server would answer from a file that is no longer
     * where capability addresses are kept.
     */
    private Object currentFile() throws StoreException {
        if (dialect != Dialect.SQLITE) {
            return POSTGRESQL_SERVER;
        }
        Path file = settings.sqliteFile();
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key == null ? file : key;
        } catch (NoSuchFileException e) {
            closeIdle();
            throw new StoreException(settings.explicit() ? MissingDatabase.noFile(where())
                    : MissingDatabase.notSet(where()), e);
        } catch (IOException e) {
            closeIdle();
            String reason = e instanceof AccessDeniedException ? "permission denied" : e.toString();
            throw new StoreException(where() + ": cannot look at the file (" + reason + "); its directory must be "
                    + "searchable by every user that runs tempmail", e);
        }
    }

    private Connection borrow(Object file) throws StoreException {
        try {
            if (!permits.tryAcquire(WAIT_FOR_CONNECTION_SECONDS, TimeUnit.SECONDS)) {
                throw new StoreException(describe() + ": all " + MAX_CONNECTIONS + " connections stayed busy for "
                        + WAIT_FOR_CONNECTION_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(describe() + ": interrupted while waiting for a connection", e);
        }
        try {
            return takeOrOpen(file);
        } catch (StoreException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection takeOrOpen(Object file) throws StoreException {
        while (true) {
            Idle candidate;
            synchronized (this) {
                if (closed) {
                    throw new StoreException(describe() + ": closed");
                }
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return open(file);
            }
            boolean recent = System.currentTimeMillis() - candidate.since() < VALIDATE_AFTER_IDLE_MILLIS;
            if (candidate.file().equals(file) && (recent || valid(candidate))) {
                return candidate.connection();
            }
            closeQuietly(candidate.connection());
        }
    }

    private static boolean valid(Idle candidate) {
        try {
            return candidate.connection().isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void giveBack(Connection connection, boolean healthy, Object file) {
        try {
            if (healthy) {
                synchronized (this) {
                    if (!closed) {
                        idle.addFirst(new Idle(connection, System.currentTimeMillis(), file));
                        return;
                    }
                }
            }
            closeQuietly(connection);
        } finally {
            permits.release();
        }
    }

    private Connection open(Object file) throws StoreException {
        Connection connection;
        try {
            connection = dialect == Dialect.SQLITE ? openSqlite(false) : openPostgresql();
        } catch (SQLException e) {
            throw failure(e);
        }
        if (!file.equals(migratedFile)) {
            migrate(connection, file);
        }
        return connection;
    }

    private synchronized void migrate(Connection connection, Object file) throws StoreException {
        if (file.equals(migratedFile)) {
            return;
        }
        try {
            Migrations.apply(connection, dialect, where(), false);
            migratedFile = file;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** {@code create}: only for {@link #initialise()}; anywhere else a missing file must stay missing. */
    private Connection openSqlite(boolean create) throws SQLException {
        Path file = settings.sqliteFile();
        SQLiteConfig config = new SQLiteConfig();
        if (!create) {
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        // WAL lets the server read while the command line writes; IMMEDIATE takes the write lock at BEGIN, so two
        // writers queue on the busy timeout instead of failing on a lock upgrade.
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    private Connection openPostgresql() throws SQLException {
        Properties properties = new Properties();
        // Seconds; an unreachable server must turn into a quick "try later", not a hung SMTP session.
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("ApplicationName", "tempmail");
        return DriverManager.getConnection(settings.location(), properties);
    }

    /** Drops the idle connections, which may point at a file no longer at DATABASE's path. */
    private synchronized void closeIdle() {
        for (Idle each : idle) {
            closeQuietly(each.connection());
        }
        idle.clear();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            closeIdle();
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a broken connection can fail; it is being dropped either way.
        }
    }
}
