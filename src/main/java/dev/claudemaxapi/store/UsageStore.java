package dev.claudemaxapi.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The usage history: one row per answer request, kept for {@code retention} (checked as rows are written, at most
 * once an hour), summed by day, hour, model or caller for {@code GET /usage} and the status page.
 */
public final class UsageStore {
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    /** How rows are grouped into totals. */
    public enum GroupBy {
        /** One total of everything. */
        NONE("'all'"),
        /** By UTC day: {@code 2026-12-02}. */
        DAY("strftime('%Y-%m-%d', at / 1000, 'unixepoch')"),
        /** By UTC hour: {@code 2026-12-02T13:00}. */
        HOUR("strftime('%Y-%m-%dT%H:00', at / 1000, 'unixepoch')"),
        MODEL("model"),
        /** By the API key's name (or id). */
        KEY("caller");

        private final String expression;

        GroupBy(String expression) {
            this.expression = expression;
        }
    }

    private final Database database;
    private final Clock clock;
    private final Duration retention;
    private final AtomicLong nextPurge = new AtomicLong(Long.MIN_VALUE);

    public UsageStore(Database database, Clock clock, Duration retention) {
        this.database = database;
        this.clock = clock;
        this.retention = retention;
    }

    public void record(UsageRecord row) {
        database.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO usage (at, route, model, caller, status,"
                    + " input_tokens, output_tokens, cache_read, cache_write, cost_usd, duration_ms, streamed, engine)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, row.at().toEpochMilli());
                insert.setString(2, row.route());
                insert.setString(3, row.model());
                insert.setString(4, row.caller());
                insert.setInt(5, row.status());
                insert.setLong(6, row.usage().inputTokens());
                insert.setLong(7, row.usage().outputTokens());
                insert.setLong(8, row.usage().cacheReadInputTokens());
                insert.setLong(9, row.usage().cacheCreationInputTokens());
                if (row.costUsd().isPresent()) {
                    insert.setDouble(10, row.costUsd().getAsDouble());
                } else {
                    insert.setNull(10, Types.REAL);
                }
                insert.setLong(11, row.duration().toMillis());
                insert.setInt(12, row.streamed() == UsageRecord.Streamed.YES ? 1 : 0);
                insert.setString(13, row.engine());
                insert.executeUpdate();
            }
            return null;
        });
        Instant now = clock.instant();
        long due = nextPurge.get();
        if (now.toEpochMilli() >= due && nextPurge.compareAndSet(due, now.plus(PURGE_EVERY).toEpochMilli())) {
            purge();
        }
    }

    /** Drops the rows older than the retention. */
    public void purge() {
        long oldest = clock.instant().minus(retention).toEpochMilli();
        database.write(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM usage WHERE at < ?")) {
                delete.setLong(1, oldest);
                return delete.executeUpdate();
            }
        });
    }

    /** The totals of the requests from {@code since} to {@code until}, both included, by group, in order. */
    public List<UsageTotal> totals(Instant since, Instant until, GroupBy groupBy) {
        return database.read(c -> {
            List<UsageTotal> totals = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT " + groupBy.expression + " AS grp, COUNT(*),"
                    + " SUM(status >= 400), SUM(input_tokens), SUM(output_tokens), SUM(cache_read), SUM(cache_write),"
                    + " COALESCE(SUM(cost_usd), 0) FROM usage WHERE at >= ? AND at <= ? GROUP BY grp ORDER BY grp")) {
                select.setLong(1, since.toEpochMilli());
                select.setLong(2, until.toEpochMilli());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        totals.add(new UsageTotal(rows.getString(1), rows.getLong(2), rows.getLong(3),
                                rows.getLong(4), rows.getLong(5), rows.getLong(6), rows.getLong(7),
                                rows.getDouble(8)));
                    }
                }
            }
            return totals;
        });
    }
}
