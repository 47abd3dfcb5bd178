package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * RFC 9865 cursors: a {@link Keyset} and the query it belongs to, signed with HMAC-SHA256 under the
 * key the database keeps, so that a cursor is opaque to clients, cannot be forged or altered, and is
 * honoured after a restart and by every server on the same database. It holds no server state:
 * a client may keep as many as it likes.
 *
 * <p>Text: base64url(payload) "." base64url(mac), only RFC 3986 unreserved characters.
 */
public final class Cursors {
    /** How long a cursor stays valid, advertised as {@code pagination.cursorTimeout}. */
    public static final long TIMEOUT_SECONDS = 3600;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Clock clock;

    Cursors(byte[] secret, Clock clock) {
        if (secret == null || secret.length < 16) {
            throw new IllegalStateException("the cursor key is missing or shorter than 16 bytes");
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /**
     * What binds a cursor to its query: the workspace, the resource type, the filter and the order.
     * RFC 9865 §2 asks for every parameter but the cursor to stay the same; count and projection may
     * change without harm, so they are left out. The workspace makes a cursor of one workspace
     * worthless in another, whatever credential presents it.
     */
    static String fingerprint(UUID workspace, String resourceType, SearchQuery query) {
        String text = workspace + "\n" + resourceType + "\n" + (query.filter() == null ? "" : query.filter().toString()) + "\n"
                + (query.sort() == null ? "" : query.sort().path().normalized() + (query.sort().descending() ? " desc" : ""));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ENCODER.encodeToString(Arrays.copyOf(hash, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    /** Where a cursor points, and the total its walk's first page counted (null from an older cursor). */
    record Position(Keyset keyset, Long total) {
    }

    String encode(String fingerprint, Keyset keyset, long total) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("n", total);
        payload.put("q", fingerprint);
        payload.set("k", keyset.key());
        payload.put("i", keyset.id().toString());
        payload.put("b", keyset.backward());
        payload.put("t", clock.instant().getEpochSecond());
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(mac(bytes));
    }

    /** The keyset of a cursor this server issued for the same query, or a 400 that says which rule it breaks. */
    Position decode(String cursor, String fingerprint) {
        int dot = cursor.indexOf('.');
        byte[] payload;
        byte[] mac;
        try {
            payload = DECODER.decode(cursor.substring(0, Math.max(dot, 0)));
            mac = DECODER.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (dot < 0 || !MessageDigest.isEqual(mac, mac(payload))) {
            throw invalid();
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalStateException("a signed cursor is not JSON", e);
        }
        if (!tree.path("q").asText().equals(fingerprint)) {
            throw ScimException.badRequest(ScimType.INVALID_CURSOR, "the cursor belongs to another query or workspace: "
                    + "keep the filter, sortBy and sortOrder of the request that returned it");
        }
        if (tree.path("t").asLong() + TIMEOUT_SECONDS < clock.instant().getEpochSecond()) {
            throw ScimException.badRequest(ScimType.EXPIRED_CURSOR, "the cursor has expired: cursors are valid for "
                    + TIMEOUT_SECONDS + " seconds; start again without a cursor");
        }
        Keyset keyset = new Keyset(tree.path("k"), UUID.fromString(tree.path("i").asText()), tree.path("b").asBoolean());
        return new Position(keyset, tree.has("n") ? tree.path("n").asLong() : null);
    }

    private static ScimException invalid() {
        return ScimException.badRequest(ScimType.INVALID_CURSOR, "the cursor is not one this server issued: send "
                + "an empty cursor for the first page, then a nextCursor or previousCursor value as returned");
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return hmac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JVM", e);
        }
    }
}
