package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where clients reach the server: SCIM_PUBLIC_URL when set, else what each request names, its
 * proxy's X-Forwarded-Host and X-Forwarded-Proto believed only from a trusted proxy.
 */
class PublicUrlsTest {
    private static final String BASE_PATH = "/api/scim/v2";
    private static final InetAddress PROXY = IpLiteral.parse("10.0.0.7").orElseThrow();
    private static final InetAddress CLIENT = IpLiteral.parse("203.0.113.9").orElseThrow();
    private static final PublicUrls PER_REQUEST = PublicUrls.perRequest(BASE_PATH, TrustedProxies.parse("10.0.0.0/8"));

    @Test
    void theConfiguredUrlIsTheAnswerWhateverTheRequestSays() {
        PublicUrls configured = PublicUrls.configured(URI.create("https://SCIM.example.com"), BASE_PATH);
        AuthorizationServerUrls urls = configured.reachedAt(PROXY, "http", "internal:8080", "http", "evil.example");
        assertThat(urls.issuer()).isEqualTo("https://scim.example.com");
        assertThat(urls.scimBaseUrl()).isEqualTo("https://scim.example.com/api/scim/v2");
        assertThat(configured.isPerRequest()).isFalse();
    }

    @Test
    void withoutItTheHostTheClientReachedIsTheOrigin() {
        AuthorizationServerUrls urls = PER_REQUEST.reachedAt(CLIENT, "http", "Scim.Example.com:8080", null, null);
        assertThat(urls.issuer()).isEqualTo("http://scim.example.com:8080");
        assertThat(urls.scimAudience()).isEqualTo("http://scim.example.com:8080/api/scim/v2");
        assertThat(PER_REQUEST.reachedAt(CLIENT, "http", "[::1]:8080", null, null).issuer())
                .isEqualTo("http://[::1]:8080");
        assertThat(PER_REQUEST.reachedAt(CLIENT, "http", "scim_server:8080", null, null).issuer())
                .as("a container's service name").isEqualTo("http://scim_server:8080");
        assertThat(PER_REQUEST.isPerRequest()).isTrue();
        assertThat(PER_REQUEST.reachedAt(CLIENT, "https", "scim.example.com:443", null, null).issuer())
                .as("the default port written out").isEqualTo("https://scim.example.com");
        assertThat(PER_REQUEST.reachedAt(PROXY, "http", "internal:8080", "https", "scim.example.com:443").issuer())
                .isEqualTo("https://scim.example.com");
    }

    @Test
    void aTrustedProxyNamesThePublicHostAndScheme() {
        AuthorizationServerUrls urls = PER_REQUEST.reachedAt(PROXY, "http", "internal:8080", "https",
                "scim.example.com");
        assertThat(urls.issuer()).isEqualTo("https://scim.example.com");
    }

    /** A proxy that appends keeps what the client wrote before its own value: the last one is the proxy's. */
    @Test
    void whatAClientWroteBeforeAnAppendingProxysValueIsIgnored() {
        AuthorizationServerUrls urls = PER_REQUEST.reachedAt(PROXY, "http", "internal:8080", "http, https",
                "evil.example, scim.example.com");
        assertThat(urls.issuer()).isEqualTo("https://scim.example.com");
    }

    @Test
    void anyOtherClientsForwardedHeadersAreIgnored() {
        AuthorizationServerUrls urls = PER_REQUEST.reachedAt(CLIENT, "http", "scim.example.com", "https",
                "evil.example");
        assertThat(urls.issuer()).isEqualTo("http://scim.example.com");
        assertThat(PublicUrls.perRequest(BASE_PATH, TrustedProxies.none())
                .reachedAt(PROXY, "http", "scim.example.com", "https", "evil.example").issuer())
                .isEqualTo("http://scim.example.com");
    }

    @Test
    void malformedValuesFallBack() {
        assertThat(PER_REQUEST.reachedAt(PROXY, "http", "scim.example.com", "ftp", "bad host/").issuer())
                .isEqualTo("http://scim.example.com");
        assertThat(PER_REQUEST.reachedAt(CLIENT, "http", null, null, null).issuer())
                .as("HTTP/1.0 without Host").isEqualTo("http://localhost");
        assertThat(PER_REQUEST.reachedAt(CLIENT, "http", "a\"b", null, null).issuer()).isEqualTo("http://localhost");
    }
}
