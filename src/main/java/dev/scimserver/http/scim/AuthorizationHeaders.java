package dev.scimserver.http.scim;

import io.javalin.http.Context;

import java.util.Enumeration;

/**
 * A request carries one {@code Authorization} header (RFC 9110 §11.6.2 defines no list of them). Two
 * are refused rather than one of them picked: a proxy, a log or another server that reads the other
 * would believe the request came with another credential than the one this server acted on.
 */
public final class AuthorizationHeaders {
    private AuthorizationHeaders() {
    }

    public static boolean repeated(Context ctx) {
        Enumeration<String> values = ctx.req().getHeaders("Authorization");
        if (values == null || !values.hasMoreElements()) {
            return false;
        }
        values.nextElement();
        return values.hasMoreElements();
    }
}
