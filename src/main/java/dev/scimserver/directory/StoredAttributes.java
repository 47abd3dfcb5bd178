package dev.scimserver.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A user's stored attributes, as a tree or as the JSON text the database returned, each made from
 * the other only when asked for. A list of users is written from the text without parsing it: the
 * tree per user was the largest part of an export's CPU. Neither form is changed once made, so
 * either may be shared; the lazy fields may be computed twice by two threads, to equal values.
 */
public final class StoredAttributes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile ObjectNode tree;
    private volatile String text;

    private StoredAttributes(ObjectNode tree, String text) {
        this.tree = tree;
        this.text = text;
    }

    public static StoredAttributes of(ObjectNode tree) {
        return new StoredAttributes(tree, null);
    }

    /** {@code text}: a JSON object, as the database stored it. */
    public static StoredAttributes ofText(String text) {
        return new StoredAttributes(null, text);
    }

    public ObjectNode tree() {
        ObjectNode parsed = tree;
        if (parsed == null) {
            try {
                parsed = (ObjectNode) JSON.readTree(text);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IllegalStateException("stored attributes are not a JSON object", e);
            }
            tree = parsed;
        }
        return parsed;
    }

    /** The attributes as one JSON object's text. */
    public String text() {
        String written = text;
        if (written == null) {
            written = tree.toString();
            text = written;
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
        return text();
    }
}
