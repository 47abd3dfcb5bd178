package dev.scimserver.events;

import org.junit.jupiter.api.Test;

import static dev.scimserver.events.DeliveryState.DEAD;
import static dev.scimserver.events.DeliveryState.DELIVERED;
import static dev.scimserver.events.DeliveryState.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

/** The moves a delivery may make, as a table. */
class DeliveryStateTest {
    @Test
    void onlyAPendingDeliveryFinishesAndOnlyReplayReopensAFinishedOne() {
        Object[][] table = {
                {PENDING, PENDING, true}, {PENDING, DELIVERED, true}, {PENDING, DEAD, true},
                {DELIVERED, PENDING, true}, {DELIVERED, DEAD, false}, {DELIVERED, DELIVERED, false},
                {DEAD, PENDING, true}, {DEAD, DELIVERED, false}, {DEAD, DEAD, false},
        };
        for (Object[] row : table) {
            assertThat(((DeliveryState) row[0]).canBecome((DeliveryState) row[1])).as(row[0] + " -> " + row[1])
                    .isEqualTo(row[2]);
        }
    }

    @Test
    void theStoredNamesReadBack() {
        for (DeliveryState state : DeliveryState.values()) {
            assertThat(DeliveryState.named(state.wireName())).isEqualTo(state);
        }
    }
}
