package dev.scimserver.http.scim;

import io.javalin.http.Context;

import java.util.Collections;
import java.util.List;

/**
 * The {@code If-None-Match} a request sent. A request other than GET and HEAD reaches Javalin without
 * it (Javalin would answer 304 to a write whose new {@code ETag} it names; see {@link JettyHardening}),
 * its lines kept in a request attribute; a GET or HEAD keeps the header.
 */
public final class SentPreconditions {
    static final String IF_NONE_MATCH = "dev.scimserver.ifNoneMatch";

    private SentPreconditions() {
    }

    /** The lines of {@code If-None-Match} as sent, in order; empty when it was not sent. */
    public static List<String> ifNoneMatchLines(Context ctx) {
        List<String> kept = ctx.attribute(IF_NONE_MATCH);
        return kept != null ? kept : Collections.list(ctx.req().getHeaders("If-None-Match"));
    }

    /** {@code If-None-Match} as one list, its lines joined (RFC 9110 §5.3); null when it was not sent. */
    public static String ifNoneMatch(Context ctx) {
        List<String> lines = ifNoneMatchLines(ctx);
        return lines.isEmpty() ? null : String.join(", ", lines);
    }
}
