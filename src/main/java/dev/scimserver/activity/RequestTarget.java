package dev.scimserver.activity;

import java.util.Locale;

/**
 * What a request's path names, in the few words metrics may use as labels: the endpoint
 * ({@code Users}, {@code Groups}, {@code Bulk}, {@code .search}, {@code ServiceProviderConfig},
 * {@code ResourceTypes}, {@code Schemas}, {@code Me}, {@code token}, else {@code other}), and, for the
 * log only, the id of the User or Group it names. The endpoint is one of a fixed set whatever the
 * path, so a label made of it stays bounded; the id never goes into a label.
 */
public record RequestTarget(String endpoint, String resourceId) {
    public static final String SCIM_BASE_PATH = "/api/scim/v2";
    public static final String TOKEN_PATH = "/oauth2/token";
    private static final String[] ENDPOINTS = {"Users", "Groups", "Bulk", ".search", "ServiceProviderConfig",
            "ResourceTypes", "Schemas", "Me"};

    public static RequestTarget of(String path) {
        if (isTokenPath(path)) {
            return new RequestTarget("token", null);
        }
        if (!path.regionMatches(true, 0, SCIM_BASE_PATH, 0, SCIM_BASE_PATH.length())) {
            return new RequestTarget("other", null);
        }
        String[] segments = path.substring(SCIM_BASE_PATH.length()).split("/");
        // segments[0] is the empty text before the first slash.
        String first = segments.length > 1 ? segments[1] : "";
        for (String endpoint : ENDPOINTS) {
            if (endpoint.equalsIgnoreCase(first)) {
                boolean typed = endpoint.equals("Users") || endpoint.equals("Groups");
                if (typed && segments.length > 2 && segments[2].equalsIgnoreCase(".search")) {
                    return new RequestTarget(".search", null);
                }
                // Only /Users/{id} names a resource: a longer path is no endpoint. Ids are UUIDs, which
                // the endpoints read in any case and percent-decoded; kept decoded and in lower case, as
                // the log's filter compares them. One longer than any filter takes is no id of ours, and
                // is kept out of the log's index, where PostgreSQL refuses an entry of more than about 2.7 kB.
                String id = typed && segments.length == 3 ? Redaction.decoded(segments[2]) : "";
                boolean resource = !id.isEmpty() && id.length() <= RequestFilter.MAX_TEXT;
                return new RequestTarget(endpoint, resource ? id.toLowerCase(Locale.ROOT) : null);
            }
        }
        return new RequestTarget("other", null);
    }

    /**
     * What a request's path names, and for a POST to {@code /Users} or {@code /Groups} that made a resource
     * ({@code location} the answer's {@code Location}, else {@code null}), the id it made: the creating
     * request is the first of the resource's history, though no id was in its path.
     */
    public static RequestTarget of(String path, String location) {
        RequestTarget target = of(path);
        boolean typed = target.endpoint.equals("Users") || target.endpoint.equals("Groups");
        if (location == null || target.resourceId != null || !typed) {
            return target;
        }
        String id = location.substring(location.lastIndexOf('/') + 1);
        return id.isEmpty() || id.length() > RequestFilter.MAX_TEXT ? target
                : new RequestTarget(target.endpoint, id.toLowerCase(Locale.ROOT));
    }

    /** Whether the path is the token endpoint's as the router matches it (see {@link #isRoute}). */
    public static boolean isTokenPath(String path) {
        return isRoute(path, TOKEN_PATH);
    }

    /**
     * Whether the path reaches {@code route} as the router matches it: in any case, and with one
     * trailing slash, which the router ignores, so that {@code /oauth2/token/} issues tokens too.
     */
    public static boolean isRoute(String path, String route) {
        int length = path.endsWith("/") ? path.length() - 1 : path.length();
        return length == route.length() && path.regionMatches(true, 0, route, 0, length);
    }
}
