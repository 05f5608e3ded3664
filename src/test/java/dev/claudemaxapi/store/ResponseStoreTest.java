package dev.claudemaxapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored responses in a real database file: kept, found by their caller only, chained, expired and bounded. */
class ResponseStoreTest {
    private static final Caller ALICE = new Caller("key-alice");
    private static final Caller BOB = new Caller("key-bob");
    private static final Duration TTL = Duration.ofDays(30);

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();
    private Database database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private ResponseStore store(long maxBytes) {
        database = Database.open(dir.resolve("data").resolve("test.db"));
        return new ResponseStore(database, clock, TTL, maxBytes);
    }

    private StoredResponse response(String id, Caller caller, String previous) {
        return new StoredResponse(id, caller, Optional.ofNullable(previous), clock.instant(),
                "[{\"role\":\"user\",\"content\":\"" + id + "\"}]", "{\"id\":\"" + id + "\",\"output\":[]}");
    }

    @Test
    void aSavedResponseIsFoundByItsCallerAndByNobodyElse() {
        ResponseStore store = store(1 << 20);
        StoredResponse saved = response("resp_1", ALICE, null);
        store.save(saved);

        assertThat(store.find("resp_1", ALICE)).contains(saved);
        assertThat(store.find("resp_1", BOB)).isEmpty();
        assertThat(store.find("resp_2", ALICE)).isEmpty();
    }

    @Test
    void whatWasStoredIsThereWhenTheFileIsOpenedAgain() {
        store(1 << 20).save(response("resp_1", ALICE, null));
        database.close();

        ResponseStore reopened = store(1 << 20);

        assertThat(reopened.find("resp_1", ALICE)).isPresent();
        assertThat(database.version()).isEqualTo(Schema.latest());
    }

    @Test
    void theDirectoryAndFileAreReadableByTheirOwnerOnly() throws Exception {
        store(1 << 20);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/test.db"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aFileFromANewerServerIsRefusedWithAMessageThatSaysSo() throws Exception {
        store(1 << 20);
        database.write(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("PRAGMA user_version = " + (Schema.latest() + 1));
            }
            return null;
        });
        database.close();
        database = null;

        assertThatThrownBy(() -> Database.open(dir.resolve("data/test.db"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer version").hasMessageContaining("--data-dir");
    }

    @Test
    void deletingRemovesOnlyTheCallersOwnResponse() {
        ResponseStore store = store(1 << 20);
        store.save(response("resp_1", ALICE, null));

        assertThat(store.delete("resp_1", BOB)).isFalse();
        assertThat(store.find("resp_1", ALICE)).isPresent();
        assertThat(store.delete("resp_1", ALICE)).isTrue();
        assertThat(store.find("resp_1", ALICE)).isEmpty();
        assertThat(store.delete("resp_1", ALICE)).isFalse();
    }

    @Test
    void aChainComesBackOldestFirst() {
        ResponseStore store = store(1 << 20);
        store.save(response("resp_1", ALICE, null));
        store.save(response("resp_2", ALICE, "resp_1"));
        store.save(response("resp_3", ALICE, "resp_2"));

        assertThat(store.chain("resp_3", ALICE).orElseThrow()).extracting(StoredResponse::id)
                .containsExactly("resp_1", "resp_2", "resp_3");
        assertThat(store.chain("resp_3", BOB)).isEmpty();
    }

    @Test
    void aChainWithAMissingLinkIsNotFound() {
        ResponseStore store = store(1 << 20);
        store.save(response("resp_1", ALICE, null));
        store.save(response("resp_2", ALICE, "resp_1"));
        store.delete("resp_1", ALICE);

        assertThat(store.chain("resp_2", ALICE)).isEmpty();
        assertThat(store.find("resp_2", ALICE)).isPresent();
    }

    @Test
    void aResponseExpiresAfterTheTtlButContinuingAChainRenewsAllOfIt() {
        ResponseStore store = store(1 << 20);
        store.save(response("resp_1", ALICE, null));
        clock.advance(Duration.ofDays(20));
        store.save(response("resp_2", ALICE, "resp_1"));
        clock.advance(Duration.ofDays(5));
        assertThat(store.chain("resp_2", ALICE)).isPresent();

        clock.advance(Duration.ofDays(29));
        assertThat(store.chain("resp_2", ALICE).orElseThrow()).hasSize(2);

        clock.advance(Duration.ofDays(31));
        assertThat(store.find("resp_1", ALICE)).isEmpty();
        assertThat(store.find("resp_2", ALICE)).isEmpty();
        store.purge();
        assertThat(store.count()).isZero();
    }

    @Test
    void pastTheSizeBoundTheLeastRecentlyUsedResponsesGoFirst() {
        StoredResponse sample = response("resp_00", ALICE, null);
        // room for three of these responses, not four
        ResponseStore store = store(sample.bytes() * 3 + sample.bytes() / 2);
        for (String id : List.of("resp_01", "resp_02", "resp_03")) {
            store.save(response(id, ALICE, null));
            clock.advance(Duration.ofMinutes(2));
        }
        store.chain("resp_01", ALICE);
        clock.advance(Duration.ofMinutes(2));
        store.save(response("resp_04", ALICE, null));

        assertThat(store.count()).isEqualTo(3);
        assertThat(store.find("resp_02", ALICE)).isEmpty();
        assertThat(store.find("resp_01", ALICE)).isPresent();
        assertThat(store.find("resp_04", ALICE)).isPresent();
    }

    @Test
    void pastTheSizeBoundAChainLosesItsNewestResponsesFirstAndNothingIsLeftThatCannotBeContinued() {
        StoredResponse sample = response("resp_00", ALICE, null);
        ResponseStore store = store(sample.bytes() * 3 + sample.bytes() / 2);
        store.save(response("resp_01", ALICE, null));
        store.save(response("resp_02", ALICE, "resp_01"));
        store.save(response("resp_03", ALICE, "resp_02"));
        clock.advance(Duration.ofMinutes(2));
        // one use renews the whole chain: its three responses are now used equally recently
        store.chain("resp_03", ALICE);
        store.save(response("resp_10", ALICE, null));
        clock.advance(Duration.ofMinutes(2));

        store.save(response("resp_11", ALICE, null));

        assertThat(store.count()).isEqualTo(3);
        assertThat(store.chain("resp_02", ALICE).orElseThrow()).hasSize(2);
        assertThat(store.find("resp_03", ALICE)).isEmpty();
    }

    @Test
    void aResponseWhoseChainStartWasEvictedGoesWithIt() {
        StoredResponse sample = response("resp_00", ALICE, null);
        ResponseStore store = store(sample.bytes() * 2 + sample.bytes() / 2);
        store.save(response("resp_01", ALICE, null));
        clock.advance(Duration.ofMinutes(2));
        store.save(response("resp_02", ALICE, "resp_01"));
        clock.advance(Duration.ofMinutes(2));

        store.save(response("resp_03", ALICE, null));

        assertThat(store.find("resp_01", ALICE)).isEmpty();
        assertThat(store.find("resp_02", ALICE)).as("it could not be continued any more").isEmpty();
        assertThat(store.find("resp_03", ALICE)).isPresent();
    }

    @Test
    void aFileFromANewerServerIsLeftExactlyAsItWas() throws Exception {
        store(1 << 20);
        database.read(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("PRAGMA journal_mode = DELETE");
                statement.execute("PRAGMA user_version = " + (Schema.latest() + 1));
            }
            return null;
        });
        database.close();
        database = null;
        byte[] before = Files.readAllBytes(dir.resolve("data/test.db"));

        assertThatThrownBy(() -> Database.open(dir.resolve("data/test.db"))).isInstanceOf(StoreException.class);

        assertThat(Files.readAllBytes(dir.resolve("data/test.db"))).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("data/test.db-wal"))).isFalse();
    }

    @Test
    void purgingGivesTheSpaceBackToTheFileSystem() throws Exception {
        ResponseStore store = store(1 << 30);
        String big = "x".repeat(200_000);
        for (int i = 0; i < 20; i++) {
            store.save(new StoredResponse("resp_" + i, ALICE, Optional.empty(), clock.instant(), "[]",
                    "{\"pad\":\"" + big + i + "\"}"));
        }
        database.write(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });
        long full = Files.size(dir.resolve("data/test.db"));
        clock.advance(TTL.plusDays(1));

        store.purge();
        database.read(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return null;
        });

        assertThat(full).isGreaterThan(4_000_000);
        assertThat(Files.size(dir.resolve("data/test.db"))).isLessThan(full / 4);
    }
}
