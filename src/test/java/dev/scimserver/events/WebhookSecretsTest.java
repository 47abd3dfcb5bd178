package dev.scimserver.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Webhook secrets are kept so they can sign again; sealed, a copy of the stored bytes shows nothing. */
class WebhookSecretsTest {
    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    @Test
    void aSecretIsWhsecAndThirtyTwoRandomBytes() {
        WebhookSecrets secrets = new WebhookSecrets(null);
        String secret = secrets.generate();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(secrets.generate()).isNotEqualTo(secret);
    }

    @Test
    void aSealedSecretOpensWithItsKeyForItsSubscriptionOnly() {
        WebhookSecrets secrets = new WebhookSecrets(KEY);
        String secret = secrets.generate();
        byte[] sealed = secrets.seal(secret, "subscription-a");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(secret.substring(6));
        assertThat(secrets.open(sealed, "subscription-a")).isEqualTo(secret);
        assertThatThrownBy(() -> secrets.open(sealed, "subscription-b"))
                .isInstanceOf(WebhookSecretUnavailableException.class);
        byte[] otherKey = KEY.clone();
        otherKey[0] = 8;
        assertThatThrownBy(() -> new WebhookSecrets(otherKey).open(sealed, "subscription-a"))
                .isInstanceOf(WebhookSecretUnavailableException.class);
        assertThatThrownBy(() -> new WebhookSecrets(null).open(sealed, "subscription-a"))
                .hasMessageContaining("SCIM_EVENTS_SECRET_KEY");
    }

    @Test
    void withoutAKeyTheSecretIsKeptAsItIsAndStillOpensOnceAKeyIsSet() {
        String secret = new WebhookSecrets(null).generate();
        byte[] stored = new WebhookSecrets(null).seal(secret, "s");
        assertThat(new WebhookSecrets(KEY).open(stored, "s")).isEqualTo(secret);
    }
}
