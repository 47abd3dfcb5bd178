package dev.scimserver.activity;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder's bounds, with its writer held back (never started), so that nothing drains the
 * queue while the test fills it: bodies go first, then entries, and every drop is counted.
 */
class ProvisioningLogRecorderTest {
    private static final byte[] BODY = "{\"userName\":\"ada\",\"password\":\"s3cret\"}".getBytes(StandardCharsets.UTF_8);

    /** Keeps what it is given; fails when told to, as a database that went away. */
    private static final class KeptEntries implements ProvisioningLogStore {
        final List<LogEntry> entries = new ArrayList<>();
        boolean unavailable;
        int inserts;
        /** The database goes away after this many inserts. */
        int insertsUntilOutage = Integer.MAX_VALUE;
        /** Inserts that fail with an Error rather than an exception, before one succeeds. */
        int overflowingInserts;
        /** The insert after this many fails with an Error. */
        int insertsUntilOverflow = Integer.MAX_VALUE;
        /** Inserts that commit, then lose the connection before the commit is acknowledged. */
        int unacknowledgedCommits;
        /** Looks for a stored entry that fail, as the database is not yet back, before one answers. */
        int failingLooks;
        /** Inserts that find no free connection (every one of the pool busy) before one finds one. */
        int busyInserts;

        @Override
        public void insert(List<LogEntry> batch) {
            inserts++;
            if (overflowingInserts > 0 || inserts == insertsUntilOverflow + 1) {
                overflowingInserts = Math.max(0, overflowingInserts - 1);
                throw new StackOverflowError();
            }
            if (busyInserts > 0) {
                busyInserts--;
                throw new IllegalStateException("no database connection came free: every connection of the pool stayed busy");
            }
            if (unavailable || inserts > insertsUntilOutage) {
                throw new IllegalStateException("the database is unavailable");
            }
            if (batch.stream().anyMatch(entry -> entry.request().requestId().startsWith("unstorable"))) {
                throw new UnstorableLogEntryException(new IllegalArgumentException("index row size exceeds maximum"));
            }
            entries.addAll(batch);
            if (unacknowledgedCommits > 0) {
                unacknowledgedCommits--;
                throw new IllegalStateException("An I/O error occurred while sending to the backend.");
            }
        }

        @Override
        public boolean holds(LoggedRequest request) {
            if (failingLooks > 0) {
                failingLooks--;
                throw new IllegalStateException("the database is unavailable");
            }
            return entries.stream().anyMatch(entry -> entry.request().id().equals(request.id()));
        }

        @Override
        public List<LoggedRequest> search(UUID workspaceId, RequestFilter filter, LogPosition after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<LogEntry> find(UUID workspaceId, UUID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<MinuteCount> minuteCounts(UUID workspaceId, Instant since) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int upkeep(LocalDate today, int daysAhead, LocalDate keepFrom) {
            throw new UnsupportedOperationException();
        }
    }

    private static ObservedRequest request(String requestId) {
        return new ObservedRequest(Instant.now(), UUID.randomUUID(), "api-token:okta", "127.0.0.1", "POST",
                "/api/scim/v2/Users", null, 201, null, null, 1_000, requestId, "application/scim+json", BODY.length,
                BODY, BODY.length, BODY, Preconditions.NONE, null);
    }

    @Test
    void whenTheBodyBudgetIsSpentBodiesAreDroppedThenEntriesWhenTheQueueIsFull() {
        KeptEntries store = new KeptEntries();
        // Room for 4 entries, and for the bodies of 2 requests (each holds the body twice: request and response).
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 4, 4L * BODY.length, 0);
        for (int i = 1; i <= 7; i++) {
            recorder.record(request("r" + i));
        }
        assertThat(recorder.queueDepth()).isEqualTo(4);
        assertThat(recorder.drops()).isEqualTo(new LogDrops(2, 3, 0));

        assertThat(recorder.writeBatch()).isEqualTo(4);
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("r1", "r2", "r3", "r4");
        assertThat(store.entries).extracting(LogEntry::bodiesDropped).containsExactly(false, false, true, true);
        assertThat(store.entries.get(0).requestBody()).contains("ada").doesNotContain("s3cret");
        assertThat(store.entries.get(2).requestBody()).isNull();
        assertThat(store.entries.get(2).responseBody()).isNull();

        // Written, the bodies free their budget again.
        recorder.record(request("r8"));
        assertThat(recorder.writeBatch()).isEqualTo(1);
        assertThat(store.entries.get(4).bodiesDropped()).isFalse();
        assertThat(recorder.drops()).isEqualTo(new LogDrops(2, 3, 0));
    }

    @Test
    void textPostgreSqlCannotKeepIsReplacedRatherThanFailingTheBatch() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024, 0);
        byte[] body = "not json \u0000 at all".getBytes(StandardCharsets.UTF_8);
        recorder.record(new ObservedRequest(Instant.now(), null, null, "127.0.0.1", "GET", "/api/scim/v2/Users/a\u0000b",
                "x=%00", 400, null, "bad \u0000 value", 1, "r", "text/plain", body.length, body, 0, null,
                Preconditions.NONE, null));
        recorder.writeBatch();
        LogEntry entry = store.entries.get(0);
        assertThat(entry.requestBody()).isEqualTo("not json \uFFFD at all");
        assertThat(entry.request().path()).isEqualTo("/api/scim/v2/Users/a\uFFFDb");
        assertThat(entry.request().resourceId()).isEqualTo("a\uFFFDb");
        recorder.record(new ObservedRequest(Instant.now(), null, null, "127.0.0.1", "GET", "/api/scim/v2/Users/a%00b",
                null, 404, null, null, 1, "r2", null, 0, null, 0, null, Preconditions.NONE, null));
        recorder.writeBatch();
        assertThat(store.entries.get(1).request().resourceId()).as("decoded, then made storable").isEqualTo("a\uFFFDb");
        assertThat(entry.request().detail()).isEqualTo("bad \uFFFD value");
    }

    @Test
    void aBatchTheStoreCannotTakeIsCountedAsLostAndTheRecorderGoesOn() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024, 0);
        recorder.record(request("lost-1"));
        recorder.record(request("lost-2"));
        store.unavailable = true;
        assertThat(recorder.writeBatch()).isEqualTo(2);
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 2));
        store.unavailable = false;
        recorder.record(request("kept"));
        recorder.close();
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("kept");
        assertThat(recorder.queueDepth()).isZero();
    }

    /** A batch whose commit was made but not acknowledged is not stored again: no entry twice, none lost. */
    @Test
    void aBatchWhoseCommitWentUnacknowledgedIsNotStoredTwice() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024, 0);
        store.unacknowledgedCommits = 1;
        recorder.record(request("once-1"));
        recorder.record(request("once-2"));
        assertThat(recorder.writeBatch()).isEqualTo(2);
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("once-1", "once-2");
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 0));

        // The first look fails too: no try is made blind, the next look finds the batch.
        store.unacknowledgedCommits = 1;
        store.failingLooks = 1;
        recorder.record(request("once-3"));
        assertThat(recorder.writeBatch()).isEqualTo(1);
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("once-1", "once-2",
                "once-3");
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 0));
    }

    /** Whatever a batch throws, its entries count as lost and the next batch is written: the writer goes on. */
    @Test
    void aBatchThatFailsWithAnErrorIsCountedAsLostAndTheWriterGoesOn() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024, 0);
        store.overflowingInserts = 1;
        recorder.record(request("lost"));
        assertThat(recorder.writeBatch()).isEqualTo(1);
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 1));
        recorder.record(request("kept"));
        assertThat(recorder.writeBatch()).isEqualTo(1);
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("kept");
    }

    /** An Error while the halves of a batch are stored loses only what was not stored, each entry counted once. */
    @Test
    void anErrorAmongTheHalvesOfABatchCountsEachEntryLostOnce() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024 * 1024, 0);
        for (String id : List.of("unstorable-1", "a", "b", "c")) {
            recorder.record(request(id));
        }
        // Inserts: the batch, its first half, "unstorable-1" alone (lost), "a" (stored), then the second half fails.
        store.insertsUntilOverflow = 4;
        assertThat(recorder.writeBatch()).isEqualTo(4);
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("a");
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 3));
    }

    /** A detail quoting a PATCH path's password filter back holds the value compared: withheld, in the body too. */
    @Test
    void aDetailQuotingAPasswordFilterIsWithheldInTheEntryAndTheAnswer() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024 * 1024, 0);
        String detail = "'groups[display eq \"x\" or password eq \"s3cret\"]' is read-only";
        byte[] answer = ("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"scimType\":\"mutability\","
                + "\"detail\":\"" + detail.replace("\"", "\\\"") + "\",\"status\":\"400\"}")
                .getBytes(StandardCharsets.UTF_8);
        recorder.record(new ObservedRequest(Instant.now(), UUID.randomUUID(), "api-token:okta", "127.0.0.1", "PATCH",
                "/api/scim/v2/Users/1", null, 400, "mutability", detail, 1, "r", null, 0, null, answer.length, answer,
                Preconditions.NONE, null));
        recorder.writeBatch();
        LogEntry entry = store.entries.get(0);
        assertThat(entry.request().detail()).isEqualTo(Redaction.MARK);
        assertThat(entry.responseBody()).doesNotContain("s3cret").contains("\"scimType\":\"mutability\"");
    }

    /** One request shaped to be unstorable costs its own entry, not the batch of every workspace's requests. */
    @Test
    void anEntryTheDatabaseRefusesIsLostAloneAndItsBatchIsKept() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 100, 1024 * 1024, 0);
        for (int i = 0; i < 40; i++) {
            recorder.record(request(i == 17 ? "unstorable" : "kept-" + i));
        }
        assertThat(recorder.writeBatch()).isEqualTo(40);
        assertThat(store.entries).hasSize(39).extracting(entry -> entry.request().requestId()).doesNotContain("unstorable");
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 1));
        // Halving finds the entry in a number of inserts that grows with the logarithm of the batch.
        assertThat(store.inserts).isLessThanOrEqualTo(2 * 7 + 1);
    }

    @Test
    void aMethodOrIdTooLongForTheLogsIndexesIsCutOrLeftOut() {
        KeptEntries store = new KeptEntries();
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024, 0);
        String longId = "a".repeat(6_000);
        recorder.record(new ObservedRequest(Instant.now(), null, null, "127.0.0.1", "X".repeat(6_000),
                "/api/scim/v2/Users/" + longId, null, 401, null, null, 1, "r", null, 0, null, 0, null,
                Preconditions.NONE, null));
        recorder.writeBatch();
        LoggedRequest entry = store.entries.get(0).request();
        assertThat(entry.method()).hasSize(200);
        assertThat(entry.resourceId()).isNull();
        assertThat(entry.path()).startsWith("/api/scim/v2/Users/aaa");
    }

    /** An outage while a batch is stored in halves ends the halving: each try would wait for the pool. */
    @Test
    void anOutageWhileABatchIsHalvedLosesTheRestAtOnce() {
        KeptEntries store = new KeptEntries();
        store.insertsUntilOutage = 2;
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 100, 1024 * 1024, 0);
        for (int i = 0; i < 40; i++) {
            recorder.record(request(i == 3 ? "unstorable" : "kept-" + i));
        }
        recorder.writeBatch();
        // The batch, then its first half (unstorable), then the first quarter meets the outage.
        assertThat(store.inserts).isEqualTo(3);
        assertThat(store.entries).isEmpty();
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 40));
    }

    /**
     * The writer shares the pool with the requests: a batch that found every connection busy (a burst of
     * large Bulks on a small pool, the database healthy) is tried again, not lost.
     */
    @Test
    void aBatchThatFoundThePoolBusyIsTriedAgainNotLost() {
        KeptEntries store = new KeptEntries();
        store.busyInserts = 1;
        ProvisioningLogRecorder recorder = new ProvisioningLogRecorder(store, 10, 1024 * 1024, 0);
        recorder.record(request("kept-1"));
        recorder.record(request("kept-2"));
        assertThat(recorder.writeBatch()).isEqualTo(2);
        assertThat(store.entries).extracting(entry -> entry.request().requestId()).containsExactly("kept-1", "kept-2");
        assertThat(recorder.drops()).isEqualTo(new LogDrops(0, 0, 0));
    }
}
