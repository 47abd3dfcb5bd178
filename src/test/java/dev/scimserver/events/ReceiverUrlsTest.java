package dev.scimserver.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which receiver URLs a subscription may name, by the name alone (the adapter checks the addresses). */
class ReceiverUrlsTest {
    private final ReceiverUrls strict = new ReceiverUrls(false, url -> null);
    private final ReceiverUrls insecure = new ReceiverUrls(true, url -> null);

    @Test
    void httpsIsAlwaysAcceptedAndHttpOnlyToLoopbackWhenAllowed() {
        assertThat(strict.checked("https://app.example.com/scim-events").toString())
                .isEqualTo("https://app.example.com/scim-events");
        assertThat(insecure.checked("http://localhost:8080/hook").getPort()).isEqualTo(8080);
        assertThat(insecure.checked("http://127.0.0.1/hook").getHost()).isEqualTo("127.0.0.1");
        String[] refusedWhenStrict = {"http://localhost/hook", "http://127.0.0.1/hook"};
        for (String url : refusedWhenStrict) {
            assertThatThrownBy(() -> strict.checked(url)).as(url).isInstanceOf(EventRuleException.class)
                    .hasMessageContaining("SCIM_EVENTS_ALLOW_INSECURE");
        }
    }

    @Test
    void anAddressTheAdapterWouldNeverCallIsRefusedWithItsReason() {
        ReceiverUrls guarded = new ReceiverUrls(false, url -> url.getHost().startsWith("169.254.")
                ? "a link-local address" : null);
        assertThatThrownBy(() -> guarded.checked("https://169.254.169.254/latest/meta-data"))
                .isInstanceOfSatisfying(EventRuleException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.getMessage()).contains("a link-local address");
                });
        assertThat(guarded.checked("https://app.example.com/hook").getHost()).isEqualTo("app.example.com");
    }

    @Test
    void everythingElseIsRefusedNamingTheUrl() {
        String[] refused = {"", "not a url", "ftp://example.com/x", "http://example.com/hook", "/relative/path",
                "https://user:password@example.com/hook", "https://example.com/hook#fragment", "https:///nohost",
                "https://example.com/" + "a".repeat(ReceiverUrls.MAX_LENGTH), "https://example.com:99999/hook",
                "https://example.com:0/hook", "http://127.attacker.example/hook", "http://127.0.0.1.example/hook"};
        for (String url : refused) {
            assertThatThrownBy(() -> insecure.checked(url)).as(url).isInstanceOfSatisfying(EventRuleException.class,
                    e -> assertThat(e.field()).isEqualTo("url"));
        }
    }
}
