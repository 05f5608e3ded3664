package dev.claudemaxapi.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.Usage;
import dev.claudemaxapi.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage history in a real database file: totals by group, kept across a reopen, dropped past retention. */
class UsageStoreTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:30:00Z"));
    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private UsageStore store() {
        database = Database.open(dir.resolve("usage.db"));
        return new UsageStore(database, clock, Duration.ofDays(400));
    }

    private UsageRecord row(String model, String caller, int status, long input, long output, double cost) {
        return new UsageRecord(clock.instant(), "/v1/messages", model, caller, status, new Usage(input, output, 3, 7),
                cost > 0 ? OptionalDouble.of(cost) : OptionalDouble.empty(), Duration.ofMillis(80),
                UsageRecord.Streamed.YES, "warm");
    }

    @Test
    void totalsAddUpByModelByKeyByDayAndByHour() {
        UsageStore store = store();
        store.record(row("claude-sonnet-5-5", "key-a", 200, 100, 10, 0.01));
        store.record(row("claude-haiku-5-5", "key-b", 429, 0, 0, 0));
        clock.advance(Duration.ofDays(1));
        store.record(row("claude-sonnet-5-5", "key-a", 200, 50, 5, 0.02));
        Instant since = Instant.parse("2026-11-01T00:00:00Z");
        Instant until = clock.instant().plusSeconds(1);

        assertThat(store.totals(since, until, UsageStore.GroupBy.NONE)).containsExactly(
                new UsageTotal("all", 3, 1, 150, 15, 21, 9, 0.03));
        assertThat(store.totals(since, until, UsageStore.GroupBy.MODEL)).extracting(UsageTotal::group,
                UsageTotal::requests).containsExactly(org.assertj.core.groups.Tuple.tuple("claude-haiku-5-5", 1L),
                org.assertj.core.groups.Tuple.tuple("claude-sonnet-5-5", 2L));
        assertThat(store.totals(since, until, UsageStore.GroupBy.KEY)).extracting(UsageTotal::group)
                .containsExactly("key-a", "key-b");
        assertThat(store.totals(since, until, UsageStore.GroupBy.DAY)).extracting(UsageTotal::group)
                .containsExactly("2026-12-01", "2026-12-02");
        assertThat(store.totals(since, until, UsageStore.GroupBy.HOUR)).extracting(UsageTotal::group)
                .containsExactly("2026-12-01T10:00", "2026-12-02T10:00");
        assertThat(store.totals(since, Instant.parse("2026-12-01T23:59:59Z"), UsageStore.GroupBy.NONE).get(0)
                .requests()).isEqualTo(2);
    }

    @Test
    void totalsAreTheSameAfterTheFileIsOpenedAgain() {
        UsageStore store = store();
        store.record(row("claude-sonnet-5-5", "key-a", 200, 100, 10, 0.01));
        List<UsageTotal> before = store.totals(Instant.EPOCH, clock.instant().plusSeconds(1), UsageStore.GroupBy.DAY);
        database.close();

        List<UsageTotal> after = store().totals(Instant.EPOCH, clock.instant().plusSeconds(1), UsageStore.GroupBy.DAY);

        assertThat(after).isEqualTo(before).hasSize(1);
    }

    @Test
    void rowsOlderThanTheRetentionAreDropped() {
        UsageStore store = store();
        store.record(row("claude-sonnet-5-5", "key-a", 200, 100, 10, 0));
        clock.advance(Duration.ofDays(300));
        store.record(row("claude-sonnet-5-5", "key-a", 200, 1, 1, 0));
        clock.advance(Duration.ofDays(101));

        store.purge();

        assertThat(store.totals(Instant.EPOCH, clock.instant(), UsageStore.GroupBy.NONE).get(0).requests())
                .isEqualTo(1);
    }

    @Test
    void aFileOfTheFirstSchemaIsMigratedKeepingItsStoredResponses() throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = old.createStatement()) {
            for (String sql : Schema.MIGRATIONS.get(0)) {
                statement.execute(sql);
            }
            statement.execute("PRAGMA user_version = 1");
            statement.execute("INSERT INTO responses (id, caller, previous_id, created_at, expires_at, bytes, input,"
                    + " response) VALUES ('resp_old', 'anonymous', NULL, 1, 9999999999999, 10, '[]', '{}')");
        }

        database = Database.open(file);

        assertThat(database.version()).isEqualTo(Schema.latest()).isGreaterThanOrEqualTo(2);
        ResponseStore responses = new ResponseStore(database, clock, Duration.ofDays(30), 1 << 20);
        assertThat(responses.find("resp_old", dev.claudemaxapi.core.Caller.ANONYMOUS)).map(StoredResponse::id)
                .isEqualTo(Optional.of("resp_old"));
        UsageStore usage = new UsageStore(database, clock, Duration.ofDays(400));
        usage.record(row("claude-sonnet-5-5", "key-a", 200, 1, 1, 0));
        assertThat(usage.totals(Instant.EPOCH, clock.instant().plusSeconds(1), UsageStore.GroupBy.NONE)).hasSize(1);
    }
}
