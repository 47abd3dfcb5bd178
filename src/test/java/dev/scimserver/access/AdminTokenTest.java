package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SCIM_ADMIN_TOKEN: on only when set, presented only as a bearer token, and a blank one never matches. */
class AdminTokenTest {

    @Test
    void unsetOrBlankIsOffAndMatchesNothing() {
        for (String unset : new String[] {null, "", "  ", "\t"}) {
            AdminToken token = new AdminToken(unset);
            assertThat(token.enabled()).isFalse();
            for (String presented : new String[] {null, "", "Bearer", "Bearer ", "Bearer  ", "Bearer " + unset}) {
                assertThat(token.presentedBy(presented)).as("[" + presented + "]").isFalse();
            }
        }
    }

    @Test
    void onlyTheBearerSchemeInAnyCaseCarriesIt() {
        AdminToken token = new AdminToken("s3cret-admin");
        assertThat(token.enabled()).isTrue();
        assertThat(token.presentedBy("Bearer s3cret-admin")).isTrue();
        assertThat(token.presentedBy("bearer s3cret-admin")).isTrue();
        assertThat(token.presentedBy("  BEARER   s3cret-admin  ")).isTrue();
        for (String wrong : new String[] {"s3cret-admin", "Basic s3cret-admin", "Bearer s3cret-admi",
            "Bearer s3cret-admin2", "Bearer S3CRET-ADMIN", "Bearers3cret-admin", "Bearer ", "Token s3cret-admin"}) {
            assertThat(token.presentedBy(wrong)).as(wrong).isFalse();
        }
        assertThat(token.toString()).doesNotContain("s3cret");
    }
}
