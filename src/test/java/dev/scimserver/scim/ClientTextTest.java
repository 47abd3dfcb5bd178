package dev.scimserver.scim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTextTest {

    @Test
    void shortTextIsShownWhole() {
        String text = "x".repeat(ClientText.SHOWN);
        assertThat(ClientText.abbreviate(text)).isEqualTo(text);
    }

    @Test
    void longTextIsCutWithAnEllipsis() {
        assertThat(ClientText.abbreviate("y".repeat(10_000))).isEqualTo("y".repeat(ClientText.SHOWN) + "…");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "z".repeat(ClientText.SHOWN - 1) + "\uD83D\uDE00" + "tail";
        assertThat(ClientText.abbreviate(text)).isEqualTo("z".repeat(ClientText.SHOWN - 1) + "…");
    }
}
