package dev.scimserver.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration's secrets are found in every form the log keeps text in, and nothing else is. */
class ConfiguredSecretsTest {
    private static final String TOKEN = "env-token-0123456789";
    private static final String PASSWORD = "correct \"horse\" battery/staple";
    private final ConfiguredSecrets secrets = ConfiguredSecrets.of(Arrays.asList(TOKEN, PASSWORD, null, " ", "admin"));

    @Test
    void aSecretIsWithheldWhereverItStandsAndTheRestIsKept() {
        assertThat(secrets.withheld("{\"userName\":\"" + TOKEN + "\",\"title\":\"x" + TOKEN + "y\"}"))
                .isEqualTo("{\"userName\":\"[REDACTED]\",\"title\":\"x[REDACTED]y\"}");
        assertThat(secrets.withheld("no user named " + TOKEN)).isEqualTo("no user named [REDACTED]");
    }

    @Test
    void aSecretEscapedInJsonIsWithheld() {
        assertThat(secrets.withheld("{\"displayName\":\"correct \\\"horse\\\" battery/staple\"}"))
                .isEqualTo("{\"displayName\":\"[REDACTED]\"}");
    }

    /** JSON may write a slash as a backslash and a slash, and any character as a Unicode escape. */
    @Test
    void aSecretSpeltWithOtherJsonEscapesIsWithheld() {
        ConfiguredSecrets slashed = ConfiguredSecrets.of(List.of("Pa/ss&w0rd+Zq9"));
        assertThat(slashed.withheld("{\"userName\":\"Pa\\/ss&w0rd+Zq9\",\"title\":\"a\\/b\"}"))
                .isEqualTo("{\"userName\":\"[REDACTED]\",\"title\":\"a/b\"}");
        assertThat(secrets.withheld("{\"emails\":[{\"value\":\"x env-tok\\u0065n-0123456789\"}]}"))
                .isEqualTo("{\"emails\":[{\"value\":\"x [REDACTED]\"}]}");
        assertThat(secrets.withheld("{\"env-tok\\u0065n-0123456789\":1}")).isEqualTo("{\"[REDACTED]\":1}");
        assertThat(secrets.withheld("almost {\"json\": \"env-tok\\u0065n-0123456789\"")).isEqualTo(Redaction.WITHHELD);
        // Escapes that spell no secret leave the text as it came.
        String unrelated = "{\"title\":\"a\\/b \\u00e9\"}";
        assertThat(slashed.withheld(unrelated)).isEqualTo(unrelated);
    }

    /** A secret holding the separator, sent unencoded, spans two segments or pairs: the whole is withheld. */
    @Test
    void aSecretSpanningTwoPartsOfAPathOrAQueryWithholdsTheWhole() {
        ConfiguredSecrets slashed = ConfiguredSecrets.of(List.of("Pa/ss&w0rd+Zq9"));
        assertThat(slashed.withheldEncoded("/api/scim/v2/Users/Pa/ss&w0rd+Zq9", '/')).isEqualTo("%5BREDACTED%5D");
        assertThat(slashed.withheldEncoded("filter=userName%20eq%20%22Pa/ss&w0rd+Zq9%22", '&'))
                .isEqualTo("%5BREDACTED%5D");
        assertThat(slashed.withheldEncoded("filter=userName%20eq%20%22Pa/ss&w0rd%2BZq9%22", '&'))
                .isEqualTo("%5BREDACTED%5D");
        assertThat(slashed.withheldEncoded("/api/scim/v2/Users/Pa/ss", '/')).isEqualTo("/api/scim/v2/Users/Pa/ss");
    }

    @Test
    void aSecretCutInTwoByTheQuerysStartIsFoundAcrossBoth() {
        ConfiguredSecrets questioned = ConfiguredSecrets.of(List.of("why?because-42"));
        assertThat(questioned.spansPathAndQuery("/api/scim/v2/Users/why", "because-42")).isTrue();
        assertThat(questioned.spansPathAndQuery("/api/scim/v2/Users/why", "count=1")).isFalse();
        assertThat(secrets.spansPathAndQuery("/api/scim/v2/Users/env-token", "0123456789")).isFalse();
    }

    @Test
    void aSecretKnownLaterIsAddedToTheOthers() {
        ConfiguredSecrets more = secrets.with("database-password-42");
        assertThat(more.withheld("database-password-42 " + TOKEN)).isEqualTo("[REDACTED] [REDACTED]");
        assertThat(secrets.with(null).withheld(TOKEN)).isEqualTo("[REDACTED]");
        assertThat(ConfiguredSecrets.NONE.with("short")).isSameAs(ConfiguredSecrets.NONE);
    }

    @Test
    void secretsTooShortToTellFromValuesAreNotLookedFor() {
        assertThat(secrets.withheld("{\"role\":\"admin\"}")).isEqualTo("{\"role\":\"admin\"}");
        assertThat(ConfiguredSecrets.of(List.of("admin", "1234567"))).isSameAs(ConfiguredSecrets.NONE);
        assertThat(ConfiguredSecrets.NONE.withheld("x " + TOKEN)).isEqualTo("x " + TOKEN);
    }

    @Test
    void aPathSegmentOrAPairThatHoldsASecretOnceDecodedIsWithheld() {
        assertThat(secrets.withheldEncoded("/api/scim/v2/Users/%65nv-token-0123456789", '/'))
                .isEqualTo("/api/scim/v2/Users/%5BREDACTED%5D");
        assertThat(secrets.withheldEncoded("filter=userName%20eq%20%22" + TOKEN + "%22&count=5", '&'))
                .isEqualTo("%5BREDACTED%5D&count=5");
        assertThat(secrets.withheldEncoded("grant_type=client_credentials&scope=correct+%22horse%22+battery%2Fstaple",
                '&')).isEqualTo("grant_type=client_credentials&%5BREDACTED%5D");
        assertThat(secrets.withheldEncoded("filter=displayName%20eq%20%22correct%20%22horse%22%20battery/staple%22",
                '&')).isEqualTo("%5BREDACTED%5D");
        assertThat(secrets.withheldEncoded("/api/scim/v2/Users/1", '/')).isEqualTo("/api/scim/v2/Users/1");
    }

    @Test
    void aHeadCutInsideASecretLosesTheSecretsBeginning() {
        assertThat(secrets.withheldHead("{\"userName\":\"env-token-01")).isEqualTo("{\"userName\":\"[REDACTED]");
        assertThat(secrets.withheldHead("{\"userName\":\"" + TOKEN + "\"")).isEqualTo("{\"userName\":\"[REDACTED]\"");
        assertThat(secrets.withheldHead("{\"userName\":\"bob\"")).isEqualTo("{\"userName\":\"bob\"");
    }

    @Test
    void nothingIsNothing() {
        assertThat(secrets.withheld(null)).isNull();
        assertThat(secrets.withheldHead(null)).isNull();
        assertThat(secrets.withheldEncoded(null, '&')).isNull();
    }
}
