package dev.scimserver.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An event id names its journal entry to the server that made it, and says nothing of the number. */
class EventIdsTest {
    private final EventIds ids = new EventIds("a secret of the database, 32 bytes".getBytes(StandardCharsets.US_ASCII));

    @Test
    void anIdNamesItsEntryAndIsTheSameEveryTime() {
        for (long journalId : new long[] {0, 1, 2, 41, 1_000_000, Long.MAX_VALUE}) {
            String id = ids.of(journalId);
            assertThat(id).startsWith("evt_").hasSize(26).matches("evt_[A-Za-z0-9_-]{22}").isEqualTo(ids.of(journalId));
            assertThat(ids.journalIdOf(id)).isEqualTo(journalId);
        }
    }

    @Test
    void theNumberShowsInNoIdAndNeighboursShareNothing() {
        Set<String> seen = new HashSet<>();
        for (long journalId = 100; journalId < 1100; journalId++) {
            String id = ids.of(journalId);
            assertThat(id).doesNotContain(Long.toString(journalId));
            assertThat(seen.add(id)).isTrue();
        }
        String a = ids.of(500).substring(4);
        String b = ids.of(501).substring(4);
        int same = 0;
        for (int i = 0; i < a.length(); i++) {
            same += a.charAt(i) == b.charAt(i) ? 1 : 0;
        }
        assertThat(same).as("characters two consecutive ids share in place").isLessThan(8);
    }

    @Test
    void anythingElseNamesNoEvent() {
        String id = ids.of(77);
        char middle = id.charAt(12);
        String altered = id.substring(0, 12) + (middle == 'A' ? 'B' : 'A') + id.substring(13);
        EventIds otherServer = new EventIds("another database's secret".getBytes(StandardCharsets.US_ASCII));
        for (String other : new String[] {null, "", "evt_77", "evt_", "77", altered, "evt_" + "!".repeat(22),
                id + "A", otherServer.of(77)}) {
            assertThat(ids.journalIdOf(other)).as(String.valueOf(other)).isEqualTo(-1);
        }
    }
}
