package dev.scimserver.access;

import java.net.URI;
import java.util.Locale;

/**
 * Where the authorization server and the SCIM API are, as clients reach them: the issuer is the
 * server's public origin ({@code https://host[:port]}, no path, so that its RFC 8414 metadata is at
 * {@code /.well-known/oauth-authorization-server} on that origin), and the access tokens' audience is
 * the SCIM base URL. {@code http} is accepted for local set-ups; RFC 8414 wants {@code https} in
 * production.
 */
public record AuthorizationServerUrls(String issuer, String scimBaseUrl) {
    public static final String TOKEN_PATH = "/oauth2/token";
    public static final String JWKS_PATH = "/oauth2/jwks";
    public static final String METADATA_PATH = "/.well-known/oauth-authorization-server";

    /** From the server's public URL (an origin) and the SCIM base path ({@code /api/scim/v2}). */
    public static AuthorizationServerUrls of(URI publicUrl, String scimBasePath) {
        String scheme = publicUrl.getScheme() == null ? "" : publicUrl.getScheme().toLowerCase(Locale.ROOT);
        String path = publicUrl.getRawPath() == null ? "" : publicUrl.getRawPath();
        if (!(scheme.equals("https") || scheme.equals("http")) || publicUrl.getHost() == null
                || publicUrl.getPort() == 0 || publicUrl.getPort() > 65535
                || publicUrl.getRawUserInfo() != null || publicUrl.getRawQuery() != null
                || publicUrl.getRawFragment() != null || !(path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException("the public URL must be an http(s) origin, its port (if any) from 1 "
                    + "to 65535, without path, query or user: " + publicUrl);
        }
        String origin = normalisedOrigin(scheme + "://" + publicUrl.getRawAuthority());
        return new AuthorizationServerUrls(origin, origin + checkedBasePath(scimBasePath));
    }

    /**
     * An origin as RFC 6454 §6.2 writes it: lower case, without the scheme's default port
     * ({@code https://a:443} is {@code https://a}). The issuer is compared as a string (RFC 8414 §3.3,
     * RFC 9068's {@code iss}), so a port written out must not make it another one.
     */
    public static String normalisedOrigin(String origin) {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") && lower.endsWith(":443")) {
            return lower.substring(0, lower.length() - 4);
        }
        if (lower.startsWith("http://") && lower.endsWith(":80")) {
            return lower.substring(0, lower.length() - 3);
        }
        return lower;
    }

    static String checkedBasePath(String scimBasePath) {
        if (!scimBasePath.startsWith("/") || scimBasePath.endsWith("/")) {
            throw new IllegalArgumentException("the SCIM base path starts with '/' and does not end with one: "
                    + scimBasePath);
        }
        return scimBasePath;
    }

    public String tokenEndpoint() {
        return issuer + TOKEN_PATH;
    }

    public String jwksUri() {
        return issuer + JWKS_PATH;
    }

    /** The {@code aud} of every access token: the SCIM base URL, the one resource they open. */
    public String scimAudience() {
        return scimBaseUrl;
    }
}
