package dev.scimserver.access;

import java.net.InetAddress;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where clients reach this server: the authorization server's issuer, its endpoints, the access
 * tokens' audience and the SCIM resources' locations all follow from it.
 *
 * <p>With {@code SCIM_PUBLIC_URL} it is that origin, whatever a request says. Without it each
 * request names it, and a token is then accepted only at the URL it was issued at: the request's
 * {@code Host}, or, when the TCP peer is one of {@code SCIM_TRUSTED_PROXIES}, the proxy's
 * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}. Any client can write those two headers,
 * and a cache in front of the server that does not key on them would then serve metadata naming a
 * stranger's token endpoint to every client, which would send its secret there; so only a proxy
 * we trust is believed. {@code Host} is believed from anyone: it is what the client connected
 * with, caches key on it, and a token obtained under a made-up host opens this server only under
 * that same made-up host. Production should set {@code SCIM_PUBLIC_URL}: then no header matters,
 * and the metadata can be cached.
 */
public final class PublicUrls {
    /** A host name or IP literal with an optional port; anything else in a header is ignored. */
    private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z0-9._~:\\[\\]-]{1,255}");
    /** What an HTTP/1.0 request without {@code Host} is taken to have reached. */
    private static final String NO_HOST = "localhost";

    private final AuthorizationServerUrls configured;
    private final String scimBasePath;
    private final TrustedProxies trustedProxies;

    private PublicUrls(AuthorizationServerUrls configured, String scimBasePath, TrustedProxies trustedProxies) {
        this.configured = configured;
        this.scimBasePath = scimBasePath;
        this.trustedProxies = trustedProxies;
    }

    /**
     * The configured public origin ({@code https://host[:port]}).
     *
     * @throws IllegalArgumentException when it is not an http(s) origin (port 1 to 65535) without path, query or user
     */
    public static PublicUrls configured(URI publicUrl, String scimBasePath) {
        return new PublicUrls(AuthorizationServerUrls.of(publicUrl, scimBasePath), scimBasePath, TrustedProxies.none());
    }

    /** Each request names the origin; a forwarded one is believed from {@code trustedProxies} only. */
    public static PublicUrls perRequest(String scimBasePath, TrustedProxies trustedProxies) {
        return new PublicUrls(null, AuthorizationServerUrls.checkedBasePath(scimBasePath), trustedProxies);
    }

    /** Whether each request names the origin ({@code SCIM_PUBLIC_URL} unset). */
    public boolean isPerRequest() {
        return configured == null;
    }

    /**
     * The URLs of a request from TCP peer {@code peer} over {@code scheme} with the {@code Host}
     * header {@code host}; the two forwarded headers as sent, each {@code null} when absent.
     */
    public AuthorizationServerUrls reachedAt(InetAddress peer, String scheme, String host, String forwardedProto,
                                             String forwardedHost) {
        if (configured != null) {
            return configured;
        }
        boolean forwarded = trustedProxies.trusts(peer);
        String proto = forwarded ? lastValue(forwardedProto) : null;
        String forwardedAuthority = forwarded ? lastValue(forwardedHost) : null;
        String origin = AuthorizationServerUrls.normalisedOrigin((isHttp(proto) ? proto : scheme) + "://"
                + (isAuthority(forwardedAuthority) ? forwardedAuthority : isAuthority(host) ? host : NO_HOST));
        return new AuthorizationServerUrls(origin, origin + scimBasePath);
    }

    private static boolean isHttp(String scheme) {
        return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
    }

    private static boolean isAuthority(String value) {
        return value != null && AUTHORITY.matcher(value).matches();
    }

    /**
     * The value the trusted peer wrote: {@code a, b} names {@code b}. A proxy that appends (Apache's
     * mod_proxy does) keeps whatever the client sent before its own value, so the first would be the
     * client's word; the last is the proxy's. Where every hop of a chain appends, the last names the
     * host the innermost proxy was asked for: set SCIM_PUBLIC_URL there.
     */
    private static String lastValue(String header) {
        if (header == null) {
            return null;
        }
        return header.substring(header.lastIndexOf(',') + 1).trim();
    }

    @Override
    public String toString() {
        return configured == null ? "each request's" : configured.issuer();
    }
}
