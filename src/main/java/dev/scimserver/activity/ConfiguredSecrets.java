package dev.scimserver.activity;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The secrets of the server's own configuration (its Basic password, its header token, the
 * administrator's and the metrics' tokens, the database's password, the events' key), withheld
 * wherever they appear in what the log keeps. {@link Redaction} finds a secret by the field that holds
 * it, or by the prefix of those this server issues; these have neither, so a token pasted into a
 * userName by a mapping gone wrong was logged as sent, and shown again by the console and its curl.
 *
 * <p>A secret shorter than {@value #SHORTEST_FOUND} characters is not looked for: it cannot be told
 * from an ordinary value (a Basic password {@code admin} would take every admin role out of the
 * log), and a secret that short is weak whatever the log does. The README says so.
 */
public final class ConfiguredSecrets {
    public static final ConfiguredSecrets NONE = new ConfiguredSecrets(Set.of());
    static final int SHORTEST_FOUND = 8;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Each secret as it is written in text or JSON, the longest first so that no longer one is left cut. */
    private final List<String> written;
    /** The secrets themselves, for text that is percent-decoded before it is searched. */
    private final Set<String> plain;
    /** Whether a secret holds a slash, which JSON may also write as {@code \/}. */
    private final boolean slashInOne;

    private ConfiguredSecrets(Set<String> secrets) {
        plain = secrets;
        slashInOne = secrets.stream().anyMatch(secret -> secret.indexOf('/') >= 0);
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            forms.add(secret);
            forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
        }
        written = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The secrets among {@code values} long enough to be found; null and blank values are skipped. */
    public static ConfiguredSecrets of(Collection<String> values) {
        Set<String> secrets = new LinkedHashSet<>();
        values.stream().filter(Objects::nonNull).map(String::strip)
                .filter(value -> value.length() >= SHORTEST_FOUND).forEach(secrets::add);
        return secrets.isEmpty() ? NONE : new ConfiguredSecrets(Set.copyOf(secrets));
    }

    /** These and {@code secret} too, when it is long enough to be found. */
    public ConfiguredSecrets with(String secret) {
        List<String> all = new ArrayList<>(plain);
        all.add(secret);
        return of(all);
    }

    /**
     * {@code text} with every secret in it, as written or JSON-escaped, replaced by the mark. JSON may
     * also spell any character as a Unicode escape (a backslash, u and four hex digits), and a slash
     * as a backslash and a slash: text that holds a secret only once such escapes are read is parsed
     * and written again in the plain form, and withheld whole when it is no JSON to parse.
     */
    String withheld(String text) {
        if (text == null || plain.isEmpty()) {
            return text;
        }
        String kept = replaced(text);
        if (kept.contains("\\u") || slashInOne && kept.contains("\\/")) {
            return withheldEscaped(kept);
        }
        return kept;
    }

    private String replaced(String text) {
        String kept = text;
        for (String secret : written) {
            kept = kept.replace(secret, Redaction.MARK);
        }
        return kept;
    }

    private String withheldEscaped(String text) {
        if (!heldIn(Redaction.unescaped(text))) {
            return text;
        }
        try {
            JsonNode tree = MAPPER.readTree(text);
            if (tree != null && tree.isContainerNode()) {
                return replaced(MAPPER.writeValueAsString(withheldIn(tree)));
            }
        } catch (IOException notJson) {
            // Withheld whole below: where the secret stands cannot be told.
        }
        return Redaction.WITHHELD;
    }

    /** The tree with every secret in its names and strings replaced by the mark. */
    private JsonNode withheldIn(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode kept = object.objectNode();
            object.fields().forEachRemaining(field -> kept.set(replaced(field.getKey()), withheldIn(field.getValue())));
            return kept;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode kept = array.arrayNode();
            array.forEach(item -> kept.add(withheldIn(item)));
            return kept;
        }
        return node.isTextual() ? TextNode.valueOf(replaced(node.asText())) : node;
    }

    /**
     * The first part of a longer text: withheld, and cut back where it ends in the beginning of a
     * secret, since the cut may have fallen inside one.
     */
    String withheldHead(String head) {
        String kept = withheld(head);
        if (kept == null) {
            return null;
        }
        for (String secret : written) {
            for (int length = Math.min(secret.length() - 1, kept.length()); length > 0; length--) {
                if (kept.endsWith(secret.substring(0, length))) {
                    return kept.substring(0, kept.length() - length) + Redaction.MARK;
                }
            }
        }
        return kept;
    }

    /**
     * A path or a query string, still percent-encoded, with each part that holds a secret withheld. A
     * secret that holds the separator, sent unencoded, spans two parts, neither of which holds it:
     * then the whole text is withheld.
     */
    String withheldEncoded(String encoded, char separator) {
        if (plain.isEmpty() || encoded == null) {
            return encoded;
        }
        String kept = Redaction.withheldParts(encoded, separator, this::heldIn);
        boolean spansParts = plain.stream().anyMatch(secret -> secret.indexOf(separator) >= 0)
                && Redaction.holdsOnceDecoded(kept, this::heldIn);
        return spansParts ? Redaction.ENCODED_MARK : kept;
    }

    /** Whether a secret holding '?' stands across a path and its query, sent unencoded: then neither holds it. */
    boolean spansPathAndQuery(String path, String query) {
        return query != null && path != null && plain.stream().anyMatch(secret -> secret.indexOf('?') >= 0)
                && Redaction.holdsOnceDecoded(path + "?" + query, this::heldIn);
    }

    /** Whether {@code text} holds one of the secrets looked for. */
    public boolean heldIn(String text) {
        for (String secret : plain) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }
}
