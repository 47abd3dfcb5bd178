package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The id just before another in a walk's order leaves no id between the two, whichever the order. */
class CursorPageRowsTest {
    @Test
    void theIdJustBeforeBorrowsAndCarriesAcrossTheHalvesAsAnUnsignedNumber() {
        assertThat(CursorPageRows.idJustBefore(UUID.fromString("00000000-0000-0001-0000-000000000000"), false))
                .isEqualTo(UUID.fromString("00000000-0000-0000-ffff-ffffffffffff"));
        assertThat(CursorPageRows.idJustBefore(UUID.fromString("8f000000-0000-4000-8000-000000000005"), false))
                .isEqualTo(UUID.fromString("8f000000-0000-4000-8000-000000000004"));
        assertThat(CursorPageRows.idJustBefore(UUID.fromString("00000000-0000-0000-ffff-ffffffffffff"), true))
                .isEqualTo(UUID.fromString("00000000-0000-0001-0000-000000000000"));
        assertThat(CursorPageRows.idJustBefore(UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff"), true))
                .isEqualTo(UUID.fromString("80000000-0000-0000-0000-000000000000"));
    }

    @Test
    void theFirstIdOfAnOrderHasNoneBeforeIt() {
        UUID zero = new UUID(0, 0);
        UUID last = new UUID(-1L, -1L);
        assertThat(CursorPageRows.idJustBefore(zero, false)).isEqualTo(zero);
        assertThat(CursorPageRows.idJustBefore(last, true)).isEqualTo(last);
    }
}
