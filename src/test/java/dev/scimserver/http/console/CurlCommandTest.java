package dev.scimserver.http.console;

import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.Preconditions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The log entry's curl command: the public URL, one shell word per value, and a placeholder for the credential. */
class CurlCommandTest {
    private static final AuthorizationServerUrls URLS = AuthorizationServerUrls.of(URI.create("https://scim.example.com"),
            "/api/scim/v2");

    private static String curl(LoggedRequest request, String body) {
        return curl(request, body, Preconditions.NONE);
    }

    private static String curl(LoggedRequest request, String body, Preconditions preconditions) {
        return CurlCommand.of(new LogEntry(request, body, null, false, preconditions), URLS);
    }

    private static LoggedRequest request(String method, String path, String query) {
        return request("api-token:okta", method, path, query);
    }

    private static LoggedRequest request(String credential, String method, String path, String query) {
        return new LoggedRequest(UUID.randomUUID(), Instant.EPOCH, UUID.randomUUID(), credential, "10.0.0.1",
                method, path, query, null, 201, null, null, 1000, "req-1", 10, 10);
    }

    /**
     * A request sent with the environment's Basic pair is repeated with it: a server configured with
     * Basic alone has no token for a bearer placeholder to stand for.
     */
    /** Sent again without its If-Match, a write refused as stale would be applied. */
    @Test
    void aRequestsPreconditionsAreSentAgain() {
        assertThat(curl(request("PATCH", "/api/scim/v2/Users/1", null), "{}", new Preconditions("W/\"3\"", null)))
                .contains("\\\n  -H 'If-Match: W/\"3\"' \\\n").doesNotContain("If-None-Match");
        assertThat(curl(request("GET", "/api/scim/v2/Users/1", null), null, new Preconditions(null, "W/\"it's\"")))
                .endsWith("\\\n  -H 'If-None-Match: W/\"it'\\''s\"'");
    }

    @Test
    void aHeadIsRepeatedAsCurlsHeadWhichWaitsForNoBody() {
        assertThat(curl(request("HEAD", "/api/scim/v2/Users", "count=1"), null))
                .startsWith("curl --globoff --head 'https://scim.example.com/api/scim/v2/Users?count=1' \\\n");
    }

    @Test
    void aRequestSentWithTheEnvironmentsBasicPairIsRepeatedWithIt() {
        assertThat(curl(request("basic", "GET", "/api/scim/v2/Users", null), null))
                .isEqualTo("curl --globoff -X 'GET' 'https://scim.example.com/api/scim/v2/Users' \\\n"
                        + "  -u \"$SCIM_BASIC_AUTH_USER:$SCIM_BASIC_AUTH_PASS\"");
        assertThat(curl(request("token", "GET", "/api/scim/v2/Users", null), null))
                .contains(CurlCommand.BEARER_PLACEHOLDER);
    }

    @Test
    void aPostIsSentToThePublicUrlWithItsBodyAndAPlaceholderForTheToken() {
        assertThat(curl(request("POST", "/api/scim/v2/Users", null), "{\"userName\":\"ada\"}"))
                .isEqualTo("curl --globoff -X 'POST' 'https://scim.example.com/api/scim/v2/Users' \\\n"
                        + "  -H \"Authorization: Bearer $SCIM_TOKEN\" \\\n"
                        + "  -H 'Content-Type: application/scim+json' \\\n"
                        + "  --data-raw '{\"userName\":\"ada\"}'");
    }

    @Test
    void aGetKeepsItsQueryAndSendsNoBody() {
        assertThat(curl(request("GET", "/api/scim/v2/Users", "filter=userName%20eq%20%22a%27b%22"), null)).isEqualTo("curl --globoff -X 'GET' 'https://scim.example.com/api/scim/v2/Users?filter=userName"
                + "%20eq%20%22a%27b%22' \\\n  -H \"Authorization: Bearer $SCIM_TOKEN\"");
    }

    @Test
    void aSingleQuoteInTheBodyClosesEscapesAndReopensTheWord() {
        String body = "{\"userName\":\"o'brien $(rm -rf /) `id`\"}";
        assertThat(curl(request("POST", "/api/scim/v2/Users", null), body))
                .endsWith("--data-raw '{\"userName\":\"o'\\''brien $(rm -rf /) `id`\"}'");
        assertThat(CurlCommand.quoted("'")).isEqualTo("''\\'''");
    }

    /** The page shows a right-to-left override as [U+202E]; the command must still send the character. */
    @Test
    void aCharacterThatReordersTextIsSentAsAnEscapeOfTheSameCharacter() {
        assertThat(curl(request("POST", "/api/scim/v2/Users", null), "{\"userName\":\"bidi\u202Egnp.exe\"}"))
                .endsWith("--data-raw '{\"userName\":\"bidi\\u202Egnp.exe\"}'").doesNotContain("\u202E");
        assertThat(curl(request("POST", "/oauth2/token", null), "grant_type=client_credentials&scope=a\u202Eb"))
                .endsWith("--data-raw 'grant_type=client_credentials&scope=a%E2%80%AEb'");
        assertThat(curl(request("GET", "/api/scim/v2/Users", "filter=userName%20eq%20%22a\u202Eb%22"), null))
                .startsWith("curl --globoff -X 'GET' 'https://scim.example.com/api/scim/v2/Users?filter=userName%20eq"
                        + "%20%22a%E2%80%AEb%22'");
    }

    @Test
    void aBodyThatBeginsWithAnAtSignIsSentAsItIsRatherThanReadFromAFile() {
        // curl's --data-binary reads @path from the operator's disk: a client that sent "@/home/op/.ssh/id_rsa"
        // would have the pasted command send that file instead of repeating the request.
        assertThat(curl(request("POST", "/api/scim/v2/Users", null), "@/etc/passwd"))
                .endsWith("--data-raw '@/etc/passwd'")
                .doesNotContain("--data-binary");
    }

    @Test
    void bracketsAndBracesInTheQueryAreNotCurlsGlobs() {
        // Without --globoff curl reads [a-z] and {a,b} in a URL as ranges and sets: Entra's emails[type eq "work"]
        // made the command fail ("bad range in URL"), and {a,b} would send two requests.
        assertThat(curl(request("GET", "/api/scim/v2/Users", "filter=emails[type%20eq%20%22work%22]&x={a,b}"),
                null)).startsWith("curl --globoff -X 'GET' 'https://scim.example.com/api/scim/v2/Users?filter="
                + "emails[type%20eq%20%22work%22]&x={a,b}'");
    }

    @Test
    void theTokenEndpointAsksForTheClientsIdAndSecret() {
        assertThat(curl(request("POST", "/oauth2/token", null), "grant_type=client_credentials"))
                .startsWith("curl --globoff -X 'POST' 'https://scim.example.com/oauth2/token' \\\n"
                        + "  -u \"$CLIENT_ID:$CLIENT_SECRET\" \\\n"
                        + "  -H 'Content-Type: application/x-www-form-urlencoded'");
    }

    @Test
    void aClientSecretPostRequestIsSentWithTheBasicPlaceholderOnly() {
        // Two client authentication methods in one request are refused (RFC 6749 section 2.3).
        String body = "grant_type=client_credentials&client_id=abc&client%5Fsecret=%5BREDACTED%5D&scope=x&%zz=1";
        assertThat(curl(request("POST", "/oauth2/token", null), body))
                .contains("-u \"$CLIENT_ID:$CLIENT_SECRET\"")
                .endsWith("--data-raw 'grant_type=client_credentials&scope=x&%zz=1'");
    }
}
