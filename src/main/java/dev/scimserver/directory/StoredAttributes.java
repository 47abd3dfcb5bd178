package dev.scimserver.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A user's stored attributes, as a tree or as the JSON text the database returned (its UTF-8 bytes),
 * each made from the other only when asked for. A list of users is written from the bytes without
 * parsing or decoding them: the tree per user, then the text's decoding and scanning as chars, were
 * the largest parts of an export's CPU. Neither form is changed once made, so either may be shared;
 * the lazy fields may be computed twice by two threads, to equal values.
 */
public final class StoredAttributes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile ObjectNode tree;
    private volatile byte[] utf8;

    private StoredAttributes(ObjectNode tree, byte[] utf8) {
        this.tree = tree;
        this.utf8 = utf8;
    }

    public static StoredAttributes of(ObjectNode tree) {
        return new StoredAttributes(tree, null);
    }

    /** {@code utf8}: a JSON object's text in UTF-8, as the database returned it; not to be changed after. */
    public static StoredAttributes ofUtf8(byte[] utf8) {
        return new StoredAttributes(null, utf8);
    }

    public ObjectNode tree() {
        ObjectNode parsed = tree;
        if (parsed == null) {
            try {
                parsed = (ObjectNode) JSON.readTree(utf8);
            } catch (IOException | ClassCastException e) {
                throw new IllegalStateException("stored attributes are not a JSON object", e);
            }
            tree = parsed;
        }
        return parsed;
    }

    /** The attributes as one JSON object's text in UTF-8. Shared: the caller must not change it. */
    public byte[] utf8() {
        byte[] written = utf8;
        if (written == null) {
            try {
                written = JSON.writeValueAsBytes(tree);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("cannot write stored attributes", e);
            }
            utf8 = written;
        }
        return written;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredAttributes that && tree().equals(that.tree());
    }

    @Override
    public int hashCode() {
        return tree().hashCode();
    }

    @Override
    public String toString() {
        return new String(utf8(), StandardCharsets.UTF_8);
    }
}
