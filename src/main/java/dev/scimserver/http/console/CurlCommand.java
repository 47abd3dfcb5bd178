package dev.scimserver.http.console;

import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.EnvironmentCredentials;
import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.RequestTarget;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * A logged request as a curl command to send it again, for a POSIX shell: every value in single
 * quotes, so nothing a client sent is ever run, and the body given as {@code --data-raw}, which sends a
 * leading {@code @} as it is where {@code --data-binary} would read the file it names from the
 * operator's disk and send that instead. The credential is a placeholder the operator's shell
 * fills in ({@code $SCIM_TOKEN}; the environment's Basic pair for a request sent with it, since a
 * server configured with Basic alone has no token; the OAuth client's id and secret at the token
 * endpoint); the log keeps no secret, and the body is the redacted one.
 */
final class CurlCommand {
    static final String BEARER_PLACEHOLDER = "-H \"Authorization: Bearer $SCIM_TOKEN\"";
    static final String CLIENT_PLACEHOLDER = "-u \"$CLIENT_ID:$CLIENT_SECRET\"";
    static final String BASIC_PLACEHOLDER = "-u \"$SCIM_BASIC_AUTH_USER:$SCIM_BASIC_AUTH_PASS\"";
    private static final String NEXT_LINE = " \\\n  ";

    private CurlCommand() {
    }

    static String of(LogEntry entry, AuthorizationServerUrls urls) {
        LoggedRequest request = entry.request();
        String body = entry.requestBody();
        boolean tokenEndpoint = RequestTarget.isTokenPath(request.path());
        // --globoff: curl reads [ ] and { } in a URL as ranges and sets, which a SCIM filter's valuePath
        // (emails[type eq "work"]) and any query a client sent may hold unescaped.
        // A HEAD is --head: with -X HEAD curl still waits for the body the length announces, until the
        // server's idle timeout ends the connection.
        StringBuilder command = new StringBuilder("curl --globoff ").append(request.method().equals("HEAD") ? "--head"
                : "-X " + quoted(request.method())).append(' ')
                .append(quoted(withBidiControlsEscaped(url(request, urls), true)));
        command.append(NEXT_LINE).append(tokenEndpoint ? CLIENT_PLACEHOLDER
                : EnvironmentCredentials.BASIC.equals(request.credential()) ? BASIC_PLACEHOLDER : BEARER_PLACEHOLDER);
        // Sent again without its preconditions, a write refused as stale (412) would be applied.
        if (entry.preconditions().ifMatch() != null) {
            command.append(NEXT_LINE).append("-H ").append(quoted("If-Match: " + entry.preconditions().ifMatch()));
        }
        if (entry.preconditions().ifNoneMatch() != null) {
            command.append(NEXT_LINE).append("-H ").append(quoted("If-None-Match: "
                    + entry.preconditions().ifNoneMatch()));
        }
        String sent = body == null ? null
                : withBidiControlsEscaped(tokenEndpoint ? withoutClientCredentials(body) : body, tokenEndpoint);
        if (sent != null) {
            String type = tokenEndpoint ? "application/x-www-form-urlencoded" : "application/scim+json";
            command.append(NEXT_LINE).append("-H ").append(quoted("Content-Type: " + type))
                    .append(NEXT_LINE).append("--data-raw ").append(quoted(sent));
        }
        return command.toString();
    }

    /**
     * A token request's form without the client's id and secret: the command authenticates with the
     * placeholder's Basic credentials, and a request that also carries them in its body
     * ({@code client_secret_post}) is refused for using two methods (RFC 6749 section 2.3).
     */
    static String withoutClientCredentials(String form) {
        StringJoiner kept = new StringJoiner("&");
        for (String parameter : form.split("&", -1)) {
            if (!isClientCredential(parameter.split("=", 2)[0])) {
                kept.add(parameter);
            }
        }
        return kept.toString();
    }

    private static boolean isClientCredential(String encodedName) {
        String name;
        try {
            name = URLDecoder.decode(encodedName, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            // The token endpoint refused the request for it; the command repeats it as it was.
            return false;
        }
        return name.equals("client_id") || name.equals("client_secret");
    }

    /**
     * A URL or body with each character that reorders text ({@link ConsoleHtmlOutput}, which shows it as its
     * code point) written as an escape its reader takes for that character: a URL's or form's
     * {@code %E2%80%AE}, JSON's {@code \u202E}. Copied from the page, the command then sends what was sent.
     * Only a JSON string can hold such a character in a body the server read; one elsewhere made the
     * request invalid, and its escape leaves it so.
     */
    static String withBidiControlsEscaped(String text, boolean percentEncoded) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!ConsoleHtmlOutput.isBidiControl(c)) {
                escaped.append(c);
            } else if (percentEncoded) {
                escaped.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
            } else {
                escaped.append(String.format("\\u%04X", (int) c));
            }
        }
        return escaped.toString();
    }

    /** Where the request went, as clients reach the server: its public URL, the logged path and query. */
    static String url(LoggedRequest request, AuthorizationServerUrls urls) {
        String path = request.path();
        String base = RequestTarget.SCIM_BASE_PATH;
        String url = path.regionMatches(true, 0, base, 0, base.length())
                ? urls.scimBaseUrl() + path.substring(base.length()) : urls.issuer() + path;
        return request.query() == null || request.query().isEmpty() ? url : url + "?" + request.query();
    }

    /** {@code text} as one word of a POSIX shell: in single quotes, each single quote closed, escaped and reopened. */
    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
