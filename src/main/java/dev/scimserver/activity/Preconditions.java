package dev.scimserver.activity;

/**
 * The conditional headers a request was sent with (RFC 9110 §13.1), {@code If-Match} and
 * {@code If-None-Match}, each as sent or {@code null}. The log keeps them with the bodies so that a
 * request can be sent again as it was: without its {@code If-Match}, a PUT refused as stale (412) would
 * be applied. An entity tag is no secret, but a client may send anything there: the log withholds
 * secrets in them as in any other text.
 */
public record Preconditions(String ifMatch, String ifNoneMatch) {
    public static final Preconditions NONE = new Preconditions(null, null);
}
