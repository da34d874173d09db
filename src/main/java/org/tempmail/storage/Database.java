package org.tempmail.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import org.tempmail.config.DatabaseSettings;

/**
 * Connections to the configured database, kept for reuse, with the schema migrated on first use. Thread-safe.
 * A connection that saw an error is closed, never reused.
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

    private record Idle(Connection connection, long since) {
    }

    private final DatabaseSettings settings;
    private final Dialect dialect;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS, true);
    private volatile boolean migrated;
    private boolean closed;

    Database(DatabaseSettings settings) {
        this.settings = settings;
        this.dialect = settings.isPostgresql() ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    String describe() {
        return settings.describe();
    }

    /**
     * True when the SQLite file has not been created yet: nobody has made a capability address, so there are none,
     * and reading needs no file. Reads never create it, so a lookup run as root leaves no root-owned database for
     * the tempmail user to trip over; writes do. An explicit DATABASE whose directory is missing (or cannot be
     * looked into) is a failure, not "none": it may be storage that is not mounted.
     */
    boolean notCreatedYet() {
        if (dialect != Dialect.SQLITE) {
            return false;
        }
        Path file = settings.sqliteFile();
        if (!Files.notExists(file)) {
            return false;
        }
        Path directory = file.toAbsolutePath().getParent();
        return !settings.explicit() || (directory != null && Files.isDirectory(directory));
    }

    /** Runs work on a connection; SQL errors become a StoreException naming the database. */
    <T> T with(Work<T> work) throws StoreException {
        Connection connection = borrow();
        boolean healthy = false;
        try {
            T result = work.run(connection);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            giveBack(connection, healthy);
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
        return new StoreException(describe() + ": " + message.lines().findFirst().orElse(message).strip(), e);
    }

    private Connection borrow() throws StoreException {
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
            return takeOrOpen();
        } catch (StoreException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection takeOrOpen() throws StoreException {
        while (true) {
            Idle candidate;
            synchronized (this) {
                if (closed) {
                    throw new StoreException(describe() + ": closed");
                }
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return open();
            }
            if (System.currentTimeMillis() - candidate.since() < VALIDATE_AFTER_IDLE_MILLIS || valid(candidate)) {
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

    private void giveBack(Connection connection, boolean healthy) {
        try {
            if (healthy) {
                synchronized (this) {
                    if (!closed) {
                        idle.addFirst(new Idle(connection, System.currentTimeMillis()));
                        return;
                    }
                }
            }
            closeQuietly(connection);
        } finally {
            permits.release();
        }
    }

    private Connection open() throws StoreException {
        Connection connection;
        try {
            connection = dialect == Dialect.SQLITE ? openSqlite() : openPostgresql();
        } catch (SQLException e) {
            throw failure(e);
        }
        if (!migrated) {
            migrate(connection);
        }
        return connection;
    }

    private synchronized void migrate(Connection connection) throws StoreException {
        if (migrated) {
            return;
        }
        try {
            Migrations.apply(connection, dialect, describe());
            migrated = true;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw failure(e);
        } catch (StoreException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private Connection openSqlite() throws SQLException, StoreException {
        Path file = settings.sqliteFile();
        Path directory = file.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new StoreException(describe() + ": the directory " + directory + " does not exist; create it, "
                    + "writable by the users that run tempmail, or set DATABASE in tempmail.cf");
        }
        SQLiteConfig config = new SQLiteConfig();
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

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Idle each : idle) {
                closeQuietly(each.connection());
            }
            idle.clear();
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
