package dev.scimserver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An event id names its journal entry to the server that made it, and says nothing of the number. */
class EventIdsTest {
    private static final long TIMED_AFTER = 1_000;
    private static final Instant AT = Instant.parse("2026-12-06T22:30:00.123456Z");
    private final EventIds ids = new EventIds("a secret of the database, 32 bytes".getBytes(StandardCharsets.US_ASCII),
            TIMED_AFTER);

    @Test
    void anIdNamesItsEntryAndIsTheSameEveryTime() {
        for (long journalId : new long[] {0, 1, 2, 41, TIMED_AFTER, TIMED_AFTER + 1, 1_000_000, (1L << 48) - 1}) {
            String id = ids.of(journalId, AT);
            assertThat(id).startsWith("evt_").hasSize(26).matches("evt_[A-Za-z0-9_-]{22}")
                    .isEqualTo(ids.of(journalId, AT));
            assertThat(ids.named(id).journalId()).isEqualTo(journalId);
        }
    }

    /**
     * A restored database numbers its next changes as the lost ones were: a change numbered again at
     * a later time has another id, while a change journalled before ids held a time keeps its id.
     */
    @Test
    void aChangeNumberedAgainLaterHasAnotherId() {
        Instant later = AT.plusNanos(1_000);
        assertThat(ids.of(TIMED_AFTER + 1, later)).isNotEqualTo(ids.of(TIMED_AFTER + 1, AT));
        assertThat(ids.named(ids.of(TIMED_AFTER + 1, later))).isEqualTo(new EventIds.Named(TIMED_AFTER + 1,
                later.getEpochSecond() * 1_000_000 + later.getNano() / 1_000));
        assertThat(ids.of(TIMED_AFTER, later)).isEqualTo(ids.of(TIMED_AFTER, AT));
        // The ids sent before (the number and eight zero bytes) are still read after the upgrade.
        EventIds before = new EventIds("a secret of the database, 32 bytes".getBytes(StandardCharsets.US_ASCII),
                Long.MAX_VALUE);
        assertThat(ids.named(before.of(TIMED_AFTER, AT))).isEqualTo(new EventIds.Named(TIMED_AFTER, 0));
        assertThat(ids.of(TIMED_AFTER, AT)).isEqualTo(before.of(TIMED_AFTER, later));
    }

    @Test
    void theNumberShowsInNoIdAndNeighboursShareNothing() {
        Set<String> seen = new HashSet<>();
        for (long journalId = 100; journalId < 2100; journalId++) {
            String id = ids.of(journalId, AT);
            assertThat(id).doesNotContain(Long.toString(journalId));
            assertThat(seen.add(id)).isTrue();
        }
        for (long[] pair : new long[][] {{500, 501}, {1500, 1501}}) {
            String a = ids.of(pair[0], AT).substring(4);
            String b = ids.of(pair[1], AT).substring(4);
            int same = 0;
            for (int i = 0; i < a.length(); i++) {
                same += a.charAt(i) == b.charAt(i) ? 1 : 0;
            }
            assertThat(same).as("characters two consecutive ids share in place").isLessThan(8);
        }
    }

    @Test
    void anythingElseNamesNoEvent() {
        EventIds otherServer = new EventIds("another database's secret".getBytes(StandardCharsets.US_ASCII), TIMED_AFTER);
        for (long journalId : new long[] {77, TIMED_AFTER + 77}) {
            String id = ids.of(journalId, AT);
            char middle = id.charAt(12);
            String altered = id.substring(0, 12) + (middle == 'A' ? 'B' : 'A') + id.substring(13);
            for (String other : new String[] {null, "", "evt_", "77", altered, "evt_" + "!".repeat(22),
                    id + "A", otherServer.of(journalId, AT), "evt_" + (TIMED_AFTER + 1), "evt_077", "evt_-7",
                    "evt_+7", "evt_0"}) {
                assertThat(ids.named(other)).as(String.valueOf(other)).isNull();
            }
        }
        // A timed id read where the number says it is from before ids held a time, and the other way.
        EventIds allTimed = new EventIds("a secret of the database, 32 bytes".getBytes(StandardCharsets.US_ASCII), -1);
        assertThat(ids.named(allTimed.of(77, AT))).isNull();
        assertThat(allTimed.named(ids.of(77, AT))).isNull();
    }

    /**
     * Releases before 2026-12-05 named an event by its plain number: a poller that upgrades holding tokens
     * of then acknowledges them by those ids. Only numbers journalled before ids held a time are such ids.
     */
    @Test
    void anIdOfTheReleasesBeforeOpaqueIdsNamesItsEntry() {
        assertThat(ids.named("evt_77")).isEqualTo(new EventIds.Named(77, 0));
        assertThat(ids.named("evt_" + TIMED_AFTER)).isEqualTo(new EventIds.Named(TIMED_AFTER, 0));
        EventIds allTimed = new EventIds("a secret of the database, 32 bytes".getBytes(StandardCharsets.US_ASCII), 0);
        assertThat(allTimed.named("evt_1")).as("a database that never sent one").isNull();
    }

    @Test
    void aChangeAnIdCannotHoldIsRefused() {
        assertThatThrownBy(() -> ids.of(TIMED_AFTER + 1, Instant.parse("1969-12-31T23:59:59Z")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ids.of(1L << 48, AT)).isInstanceOf(IllegalArgumentException.class);
    }
}
