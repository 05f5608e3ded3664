package dev.claudemaxapi.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database's tables, as a list of migrations: the file's {@code user_version} says how many it has, and opening
 * it applies the rest in order, each in the opener's transaction. A migration, once released, never changes: a new
 * need is a new entry at the end.
 */
final class Schema {
    private Schema() {}

    /** Migration {@code n} (from 1) brings the file from version {@code n - 1} to {@code n}. */
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: stored Responses API responses. A response names the one it continues; its input is only what its
            // request added, so a chain is read by walking back. expires_at moves forward whenever a chain is used.
            // Times: created_at in epoch seconds (the API's created_at), expires_at in epoch milliseconds. The small
            // columns come first and an index covers what the size bound sums, so it never reads the large texts.
            List.of("""
                    CREATE TABLE responses (
                        id          TEXT PRIMARY KEY,
                        caller      TEXT NOT NULL,
                        previous_id TEXT,
                        created_at  INTEGER NOT NULL,
                        expires_at  INTEGER NOT NULL,
                        bytes       INTEGER NOT NULL,
                        input       TEXT NOT NULL,
                        response    TEXT NOT NULL
                    )""",
                    "CREATE INDEX responses_by_use ON responses (expires_at, created_at, id, bytes)",
                    "CREATE INDEX responses_by_previous ON responses (previous_id)"),
            // 2: one row per answer request, for usage totals that outlive a restart. at is in epoch milliseconds;
            // cost_usd is null when the CLI reported none.
            List.of("""
                    CREATE TABLE usage (
                        id            INTEGER PRIMARY KEY,
                        at            INTEGER NOT NULL,
                        route         TEXT NOT NULL,
                        model         TEXT NOT NULL,
                        caller        TEXT NOT NULL,
                        status        INTEGER NOT NULL,
                        input_tokens  INTEGER NOT NULL,
                        output_tokens INTEGER NOT NULL,
                        cache_read    INTEGER NOT NULL,
                        cache_write   INTEGER NOT NULL,
                        cost_usd      REAL,
                        duration_ms   INTEGER NOT NULL,
                        streamed      INTEGER NOT NULL,
                        engine        TEXT NOT NULL
                    )""",
                    "CREATE INDEX usage_by_time ON usage (at)"));

    static int latest() {
        return MIGRATIONS.size();
    }

    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("PRAGMA user_version")) {
            return row.next() ? row.getInt(1) : 0;
        }
    }

    /** @throws StoreException when the file is from a newer server, whose tables this one does not know */
    static void refuseNewer(Connection connection) throws SQLException {
        int at = version(connection);
        if (at > latest()) {
            throw new StoreException("the database is at schema version " + at + ", written by a newer version of"
                    + " claude-max-api; this one knows versions up to " + latest()
                    + ". Use the newer version, or another --data-dir.");
        }
    }

    /** Applies the migrations the file lacks, in order. */
    static void migrate(Connection connection) throws SQLException {
        refuseNewer(connection);
        int at = version(connection);
        try (Statement statement = connection.createStatement()) {
            for (int next = at + 1; next <= latest(); next++) {
                for (String sql : MIGRATIONS.get(next - 1)) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = " + next);
            }
        }
    }
}
