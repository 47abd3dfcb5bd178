package dev.scimserver.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The states' stored names. */
class DeliveryStateTest {
    @Test
    void theStoredNamesReadBack() {
        for (DeliveryState state : DeliveryState.values()) {
            assertThat(DeliveryState.named(state.wireName())).isEqualTo(state);
        }
    }
}
