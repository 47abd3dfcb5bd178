package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens and client secrets: greppable prefix, 256 random bits in base64url, stored only as SHA-256. */
class SecretFormatTest {

    @Test
    void aTokenIsItsPrefixThen256RandomBitsInUnpaddedBase64Url() {
        String token = SecretFormat.API_TOKEN.generate();
        assertThat(token).startsWith("scim_tok_").hasSize("scim_tok_".length() + 43).matches("scim_tok_[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token.substring("scim_tok_".length()))).hasSize(32);
        assertThat(SecretFormat.CLIENT_SECRET.generate()).matches("scim_sec_[A-Za-z0-9_-]{43}");
    }

    @Test
    void noTwoAreAlike() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(SecretFormat.API_TOKEN.generate())).isTrue();
        }
    }

    @Test
    void fitsOnlyItsOwnShape() {
        String token = SecretFormat.API_TOKEN.generate();
        assertThat(SecretFormat.API_TOKEN.fits(token)).isTrue();
        assertThat(SecretFormat.CLIENT_SECRET.fits(token)).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits(token + "A")).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits(token.substring(0, token.length() - 1))).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits(token.substring(0, token.length() - 1) + "=")).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits(token.substring(0, token.length() - 1) + "é")).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits("SCIM_TOK_" + token.substring(9))).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits(null)).isFalse();
        assertThat(SecretFormat.API_TOKEN.fits("")).isFalse();
    }

    @Test
    void theStoredFormIsTheSha256OfTheSecretAndPrintsNothing() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assertThat(SecretHash.of("abc").bytes()).isEqualTo(hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        assertThat(SecretHash.of("abc")).isEqualTo(SecretHash.fromBytes(SecretHash.of("abc").bytes()))
                .hasSameHashCodeAs(SecretHash.of("abc")).isNotEqualTo(SecretHash.of("abd"));
        assertThat(SecretHash.of("abc")).hasToString("SecretHash[redacted]");
        assertThatThrownBy(() -> SecretHash.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNewTokensSecretIsStoredOnlyAsItsHashAndNeverPrinted() {
        InMemoryCredentials store = new InMemoryCredentials();
        NewApiToken created = new ApiTokens(store, Clock.systemUTC()).create(UUID.randomUUID(), "okta", null);
        assertThat(store.findTokenByHash(SecretHash.of(created.secret()))).contains(created.token());
        assertThat(created.toString()).doesNotContain(created.secret()).contains("redacted");
    }

    @Test
    void aTokenNeedsANameAndAFutureExpiry() {
        ApiTokens tokens = new ApiTokens(new InMemoryCredentials(), Clock.systemUTC());
        UUID workspace = UUID.randomUUID();
        assertThatThrownBy(() -> tokens.create(workspace, " ", null)).isInstanceOf(AccessRuleException.class)
                .hasMessageContaining("name");
        assertThatThrownBy(() -> tokens.create(workspace, "x".repeat(101), null)).isInstanceOf(AccessRuleException.class);
        assertThatThrownBy(() -> tokens.create(workspace, "okta\n", null)).isInstanceOf(AccessRuleException.class);
        assertThatThrownBy(() -> tokens.create(workspace, "okta", Instant.now().minusSeconds(1)))
                .isInstanceOfSatisfying(AccessRuleException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
