package dev.claudemaxapi.store;

import dev.claudemaxapi.core.Caller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kept Responses API responses, so {@code previous_response_id} can continue a conversation (also after a restart)
 * and {@code GET} / {@code DELETE /v1/responses/{id}} find them. A response belongs to the caller that made it: to
 * any other it does not exist.
 *
 * <p>A response is kept for {@code ttl} after it was made or last continued (continuing a chain renews every response
 * in it, so a conversation in use never loses its start). Past {@code maxBytes} the responses least recently used go
 * first, with the responses that continued them. Both are enforced as responses are saved, at most once a minute, so
 * no thread of its own is needed. A chain longer than {@link #MAX_CHAIN} is not read.
 */
public final class ResponseStore {
    /** A chain longer than this is refused rather than read: no conversation a client drives gets near it. */
    static final int MAX_CHAIN = 10_000;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Database database;
    private final Clock clock;
    private final Duration ttl;
    private final long maxBytes;
    /** When the next purge is due, in epoch milliseconds. */
    private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);

    public ResponseStore(Database database, Clock clock, Duration ttl, long maxBytes) {
        this.database = database;
        this.clock = clock;
        this.ttl = ttl;
        this.maxBytes = maxBytes;
    }

    public void save(StoredResponse response) {
        Instant now = clock.instant();
        database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT OR REPLACE INTO responses (id, caller,"
                    + " previous_id, created_at, expires_at, bytes, input, response)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, response.id());
                insert.setString(2, response.caller().id());
                insert.setString(3, response.previousId().orElse(null));
                insert.setLong(4, response.createdAt().getEpochSecond());
                insert.setLong(5, now.plus(ttl).toEpochMilli());
                insert.setLong(6, response.bytes());
                insert.setString(7, response.input());
                insert.setString(8, response.response());
                insert.executeUpdate();
            }
            return null;
        });
        purgeIfDue(now);
    }

    /** The response with this id, if it is the caller's and not expired. */
    public Optional<StoredResponse> find(String id, Caller caller) {
        long now = clock.millis();
        return database.read(c -> find(c, id, caller, now));
    }

    /**
     * The chain that ends at {@code lastId}, oldest first, with every response in it renewed for another ttl.
     *
     * @return empty when the response or one it continues is missing, expired or another caller's
     */
    public Optional<List<StoredResponse>> chain(String lastId, Caller caller) {
        Instant now = clock.instant();
        return database.write(c -> {
            List<StoredResponse> chain = new ArrayList<>();
            Optional<String> next = Optional.of(lastId);
            while (next.isPresent()) {
                Optional<StoredResponse> found = chain.size() < MAX_CHAIN
                        ? find(c, next.get(), caller, now.toEpochMilli()) : Optional.empty();
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                chain.add(found.get());
                next = found.get().previousId();
            }
            try (PreparedStatement renew = c.prepareStatement("UPDATE responses SET expires_at = ? WHERE id = ?")) {
                for (StoredResponse response : chain) {
                    renew.setLong(1, now.plus(ttl).toEpochMilli());
                    renew.setString(2, response.id());
                    renew.addBatch();
                }
                renew.executeBatch();
            }
            Collections.reverse(chain);
            return Optional.of(List.copyOf(chain));
        });
    }

    /** @return whether there was such a response of the caller's to delete */
    public boolean delete(String id, Caller caller) {
        long now = clock.millis();
        return database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM responses WHERE id = ? AND caller = ? AND expires_at > ?")) {
                delete.setString(1, id);
                delete.setString(2, caller.id());
                delete.setLong(3, now);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /** How many responses are kept, expired or not. */
    public long count() {
        return database.read(c -> {
            try (Statement statement = c.createStatement();
                    ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM responses")) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    /**
     * Drops expired responses, then, past the size bound, the least recently used ones (of equal use, the newer
     * first) and the responses that continued them, which could not be continued any more.
     */
    public void purge() {
        long now = clock.millis();
        database.write(c -> {
            try (PreparedStatement expired = c.prepareStatement("DELETE FROM responses WHERE expires_at <= ?")) {
                expired.setLong(1, now);
                expired.executeUpdate();
            }
            if (storedBytes(c) <= maxBytes) {
                return null;
            }
            try (PreparedStatement oversize = c.prepareStatement("DELETE FROM responses WHERE id IN (SELECT id FROM"
                    + " (SELECT id, SUM(bytes) OVER (ORDER BY expires_at DESC, created_at ASC, id) AS kept"
                    + " FROM responses) WHERE kept > ?)");
                    Statement orphans = c.createStatement()) {
                oversize.setLong(1, maxBytes);
                oversize.executeUpdate();
                orphans.executeUpdate("WITH RECURSIVE gone(id) AS (SELECT id FROM responses WHERE previous_id IS NOT"
                        + " NULL AND previous_id NOT IN (SELECT id FROM responses) UNION SELECT r.id FROM responses r"
                        + " JOIN gone ON r.previous_id = gone.id) DELETE FROM responses WHERE id IN (SELECT id FROM"
                        + " gone)");
            }
            return null;
        });
    }

    private static long storedBytes(Connection c) throws SQLException {
        try (Statement statement = c.createStatement();
                ResultSet row = statement.executeQuery("SELECT COALESCE(SUM(bytes), 0) FROM responses")) {
            return row.next() ? row.getLong(1) : 0L;
        }
    }

    private void purgeIfDue(Instant now) {
        long due = nextPurge.get();
        if (now.toEpochMilli() >= due && nextPurge.compareAndSet(due, now.plus(PURGE_EVERY).toEpochMilli())) {
            purge();
        }
    }

    private static Optional<StoredResponse> find(Connection c, String id, Caller caller, long now)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT previous_id, created_at, input, response FROM"
                + " responses WHERE id = ? AND caller = ? AND expires_at > ?")) {
            select.setString(1, id);
            select.setString(2, caller.id());
            select.setLong(3, now);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredResponse(id, caller, Optional.ofNullable(row.getString(1)),
                        Instant.ofEpochSecond(row.getLong(2)), row.getString(3), row.getString(4)));
            }
        }
    }
}
