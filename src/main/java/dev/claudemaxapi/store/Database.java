package dev.claudemaxapi.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's one embedded database file (SQLite), brought to the current {@link Schema} when opened. One
 * connection, used by one thread at a time: every access is short (a lookup or a write of one answer), and SQLite
 * serialises writers anyway. Write-ahead logging lets another server on the same file read while this one writes.
 */
public final class Database implements AutoCloseable {
    /** Work done with the connection; SQL failures leave as {@link StoreException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Database(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens (or creates) the database file, readable by this user only, and applies any migrations it lacks.
     *
     * @throws StoreException when the file cannot be opened or was written by a newer version of the server
     */
    public static Database open(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, ownerOnly(dir, "rwx------"));
            }
            if (!Files.exists(file)) {
                // created with these permissions, never readable by others even for a moment
                Files.createFile(file, ownerOnly(dir, "rw-------"));
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the database file " + file + ": " + e.getMessage(), e);
        }
        return open("jdbc:sqlite:" + file.toAbsolutePath(), Pragmas.FILE);
    }

    /** A database that lives only as long as this object: for tests and benchmarks. */
    public static Database inMemory() {
        return open("jdbc:sqlite::memory:", Pragmas.MEMORY);
    }

    private enum Pragmas {
        FILE, MEMORY
    }

    private static Database open(String url, Pragmas pragmas) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + url + ": " + e.getMessage(), e);
        }
        Database database = new Database(connection);
        try {
            // before anything is set: a newer server's file is left exactly as it is
            database.read(c -> {
                Schema.refuseNewer(c);
                return null;
            });
            database.read(c -> {
                // outside any transaction: SQLite refuses to change the journal mode inside one
                try (Statement statement = c.createStatement()) {
                    // a writer of another server on the same file is waited for, not failed
                    statement.execute("PRAGMA busy_timeout = 5000");
                    if (pragmas == Pragmas.FILE) {
                        // before the first table: deleted rows give their pages back to the file system as the
                        // deletion commits (deletions are the store's purges, at most once a minute)
                        statement.execute("PRAGMA auto_vacuum = FULL");
                        statement.execute("PRAGMA journal_mode = WAL");
                        statement.execute("PRAGMA synchronous = NORMAL");
                    }
                }
                return null;
            });
            database.write(c -> {
                Schema.migrate(c);
                return null;
            });
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** POSIX permissions to create a file or directory with, where the file system has them. */
    private static FileAttribute<?>[] ownerOnly(Path dir, String permissions) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
    }

    /** Runs work that reads only. */
    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("database read failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs work in one transaction: all of it is kept, or none. */
    public <T> T write(Work<T> work) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database write failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** The schema version the file is at. */
    public int version() {
        return read(Schema::version);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing is left to save: every write was committed or rolled back
        } finally {
            lock.unlock();
        }
    }
}
