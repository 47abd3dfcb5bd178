package dev.scimserver.activity;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTest {

    @Test
    void anIdIsAVersion7UuidOfItsMillisecond() {
        Instant received = Instant.parse("2026-12-02T01:30:15.123456Z");
        UUID id = TimeOrderedIds.next(received);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.toString()).startsWith(String.format("%08x-%04x-7",
                received.toEpochMilli() >>> 16, received.toEpochMilli() & 0xFFFF));
        assertThat(TimeOrderedIds.madeAt(id)).contains(Instant.parse("2026-12-02T01:30:15.123Z"));
    }

    @Test
    void laterEntriesSortAfterEarlierOnes() {
        UUID earlier = TimeOrderedIds.next(Instant.parse("2026-12-02T01:30:15.123Z"));
        UUID later = TimeOrderedIds.next(Instant.parse("2026-12-02T01:30:15.124Z"));
        // PostgreSQL orders uuid by its bytes, unsigned: the text form compares the same way.
        assertThat(earlier.toString()).isLessThan(later.toString());
    }

    @Test
    void idsOfOneMillisecondDiffer() {
        Instant received = Instant.parse("2026-12-02T01:30:15Z");
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TimeOrderedIds.next(received));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void theRandomIdsOfOlderEntriesNameNoTime() {
        assertThat(TimeOrderedIds.madeAt(UUID.randomUUID())).isEmpty();
    }

    @Test
    void anIdNamesTheMillisecondItWasMadeInAndNoOther() {
        Instant received = Instant.parse("2026-12-02T01:30:15.123456Z");
        String id = TimeOrderedIds.next(received).toString();
        assertThat(TimeOrderedIds.namesMillisecondOf(id, received)).isTrue();
        assertThat(TimeOrderedIds.namesMillisecondOf(id, Instant.parse("2026-12-02T01:30:15.123999Z"))).isTrue();
        assertThat(TimeOrderedIds.namesMillisecondOf(id, Instant.parse("2026-12-02T01:30:15.124Z"))).isFalse();
        assertThat(TimeOrderedIds.namesMillisecondOf(id, Instant.parse("2026-12-02T01:30:15.122999Z"))).isFalse();
        assertThat(TimeOrderedIds.namesMillisecondOf(UUID.randomUUID().toString(), received)).isFalse();
        assertThat(TimeOrderedIds.namesMillisecondOf("okta-7f3a.12_x", received)).isFalse();
    }
}
