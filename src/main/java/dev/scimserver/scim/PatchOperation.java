package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One operation of a PatchOp request (RFC 7644 §3.5.2). {@code path} is null only for an add or a
 * replace whose value is an object; {@code value} is null only for a remove.
 */
public record PatchOperation(Op op, PatchPath path, JsonNode value) {

    public enum Op { ADD, REMOVE, REPLACE }

    /** The most operations one PATCH may carry; more is refused rather than queued. */
    public static final int MAX_OPERATIONS = 1000;

    /**
     * Reads a PatchOp message, refusing one that is malformed whatever it would apply to, so that
     * the refusal never waits for the resource to be found. Ops are matched case-insensitively
     * because Entra sends {@code "Replace"}.
     */
    public static List<PatchOperation> parseRequest(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("a PATCH body must be a PatchOp JSON object");
        }
        // RFC 7644 §3.5.2: the body MUST carry the PatchOp schema; every client we serve sends it.
        if (!JsonFields.containsTextIgnoringCase(JsonFields.fieldIgnoringCase(body, "schemas"), ScimUrns.PATCH_OP)) {
            throw ScimException.invalidSyntax("schemas must contain " + ScimUrns.PATCH_OP);
        }
        JsonNode operations = JsonFields.fieldIgnoringCase(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidSyntax("a PATCH body needs a non-empty \"Operations\" array");
        }
        if (operations.size() > MAX_OPERATIONS) {
            // 413 as for Bulk's maxOperations (RFC 7644 §3.7.4): a limit of the request, not a malformed one.
            throw ScimException.of(413, ScimType.TOO_MANY, "a PATCH may carry at most " + MAX_OPERATIONS
                    + " operations, this one has " + operations.size());
        }
        List<PatchOperation> out = new ArrayList<>();
        for (JsonNode operation : operations) {
            out.add(parseOperation(operation, out.size()));
        }
        return out;
    }

    private static PatchOperation parseOperation(JsonNode operation, int index) {
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax("Operations[" + index + "] must be a JSON object");
        }
        JsonNode opNode = JsonFields.fieldIgnoringCase(operation, "op");
        if (opNode == null || !opNode.isTextual()) {
            throw ScimException.invalidSyntax("Operations[" + index + "] needs an \"op\" of add, remove or replace");
        }
        Op op = switch (opNode.asText().toLowerCase(Locale.ROOT)) {
            case "add" -> Op.ADD;
            case "remove" -> Op.REMOVE;
            case "replace" -> Op.REPLACE;
            default -> throw ScimException.invalidSyntax("Operations[" + index + "].op must be add, remove or replace, not "
                    + ClientText.abbreviate(opNode.asText()));
        };
        JsonNode pathNode = JsonFields.fieldIgnoringCase(operation, "path");
        PatchPath path = null;
        if (pathNode != null && !pathNode.isNull()) {
            if (!pathNode.isTextual()) {
                throw ScimException.invalidPath("Operations[" + index + "].path must be a string");
            }
            if (!pathNode.asText().isBlank()) {
                path = PatchPath.parse(pathNode.asText().trim());
            }
        }
        JsonNode value = JsonFields.fieldIgnoringCase(operation, "value");
        String name = op.name().toLowerCase(Locale.ROOT);
        if (op == Op.REMOVE && path == null) {
            // RFC 7644 §3.5.2.2: a remove without a path fails with noTarget.
            throw ScimException.noTarget("Operations[" + index + "]: a remove needs a path");
        }
        if (op != Op.REMOVE && path == null && (value == null || !value.isObject())) {
            throw ScimException.invalidValue("Operations[" + index + "]: an " + name + " without a path needs an "
                    + "object value");
        }
        // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace carry a value. An explicit null (or "") is
        // one, and unassigns; only a missing member is malformed.
        if (op != Op.REMOVE && value == null) {
            throw ScimException.invalidValue("Operations[" + index + "]: an " + name + " needs a \"value\"");
        }
        return new PatchOperation(op, path, value);
    }
}
