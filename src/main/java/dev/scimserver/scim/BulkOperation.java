package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of a BulkRequest (RFC 7644 §3.7). {@code path} and {@code data} may still hold
 * {@code bulkId:…} references to resources created by other operations of the same request: as a
 * whole string value, or as a quoted comparison value in a PATCH operation's path
 * ({@code members[value eq "bulkId:qwerty"]}).
 */
public record BulkOperation(int index, String method, String path, String bulkId, String version, JsonNode data) {
    public static final String REFERENCE_PREFIX = "bulkId:";
    /** A reference as a filter's string literal, inside a PATCH path. */
    private static final Pattern QUOTED_REFERENCE = Pattern.compile("\"" + REFERENCE_PREFIX + "([^\"\\\\]+)\"");
    /** An id as the server gives them (a UUID), wherever a string holds one. */
    private static final Pattern MENTIONED_ID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** The bulkIds this operation refers to, in its path and anywhere in its data. */
    public Set<String> references() {
        Set<String> refs = new LinkedHashSet<>();
        for (String segment : path.split("/")) {
            if (segment.startsWith(REFERENCE_PREFIX)) {
                refs.add(segment.substring(REFERENCE_PREFIX.length()));
            }
        }
        collect(data, refs);
        return refs;
    }

    private static void collect(JsonNode node, Set<String> refs) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && node.asText().startsWith(REFERENCE_PREFIX)) {
            refs.add(node.asText().substring(REFERENCE_PREFIX.length()));
        }
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> {
                if (isPatchPath(field)) {
                    Matcher quoted = QUOTED_REFERENCE.matcher(field.getValue().asText());
                    while (quoted.find()) {
                        refs.add(quoted.group(1));
                    }
                }
            });
        }
        node.forEach(child -> collect(child, refs));
    }

    /**
     * The resources this operation names, each as a token: the one its path is on ({@code id:…}, or
     * {@code bulkId:…} for a reference), the one its bulkId stands for, those it refers to, and every id
     * its data names (a member, a manager, a filter's value). Two operations that share none cannot
     * change what the other does; two that share one may.
     */
    public Set<String> resources() {
        Set<String> names = new LinkedHashSet<>();
        // "/Users/{id}" or "Users/{id}": the endpoint takes both.
        String[] segments = (path.startsWith("/") ? path.substring(1) : path).split("/");
        if (segments.length > 1) {
            String target = segments[1];
            names.add(target.startsWith(REFERENCE_PREFIX) ? target : "id:" + target.toLowerCase(Locale.ROOT));
        }
        if (bulkId != null) {
            names.add(REFERENCE_PREFIX + bulkId);
        }
        references().forEach(reference -> names.add(REFERENCE_PREFIX + reference));
        mentionedIds(data, names);
        return names;
    }

    private static void mentionedIds(JsonNode node, Set<String> names) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            Matcher id = MENTIONED_ID.matcher(node.asText());
            while (id.find()) {
                names.add("id:" + id.group().toLowerCase(Locale.ROOT));
            }
        }
        node.forEach(child -> mentionedIds(child, names));
    }

    /** A PATCH operation's path: no User or Group attribute is called {@code path}. */
    private static boolean isPatchPath(Map.Entry<String, JsonNode> field) {
        return field.getKey().equalsIgnoreCase("path") && field.getValue().isTextual();
    }

    /** This operation with every reference replaced by the id it resolved to; all must be in {@code ids}. */
    public BulkOperation resolved(Map<String, String> ids) {
        String resolvedPath = java.util.Arrays.stream(path.split("/", -1))
                .map(segment -> segment.startsWith(REFERENCE_PREFIX)
                        ? ids.get(segment.substring(REFERENCE_PREFIX.length())) : segment)
                .collect(java.util.stream.Collectors.joining("/"));
        return new BulkOperation(index, method, resolvedPath, bulkId, version,
                data == null ? null : substitute(data.deepCopy(), ids));
    }

    private static JsonNode substitute(JsonNode node, Map<String, String> ids) {
        if (node.isTextual() && node.asText().startsWith(REFERENCE_PREFIX)) {
            String id = ids.get(node.asText().substring(REFERENCE_PREFIX.length()));
            return id == null ? node : TextNode.valueOf(id);
        }
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(f -> f.setValue(isPatchPath(f)
                    ? TextNode.valueOf(QUOTED_REFERENCE.matcher(f.getValue().asText()).replaceAll(reference -> {
                        String id = ids.get(reference.group(1));
                        return Matcher.quoteReplacement(id == null ? reference.group() : "\"" + id + "\"");
                    }))
                    : substitute(f.getValue(), ids)));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substitute(array.get(i), ids));
            }
        }
        return node;
    }
}
