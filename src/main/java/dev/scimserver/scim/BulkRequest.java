package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A BulkRequest message (RFC 7644 §3.7.1), checked for shape and against the advertised limits. */
public record BulkRequest(int failOnErrors, List<BulkOperation> operations) {
    public static final String URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    public static final String RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
    /** Advertised as bulk.maxOperations. */
    public static final int MAX_OPERATIONS = 1000;
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    public BulkRequest {
        operations = List.copyOf(operations);
    }

    /** {@code failOnErrors} 0 means "never stop": RFC 7644 leaves it unset when every operation should run. */
    public static BulkRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("a Bulk body must be a BulkRequest JSON object");
        }
        JsonNode schemas = body.get("schemas");
        if (schemas != null && !JsonFields.containsTextIgnoringCase(schemas, URN)) {
            throw ScimException.invalidSyntax("schemas must contain " + URN);
        }
        JsonNode failNode = JsonFields.fieldIgnoringCase(body, "failOnErrors");
        int failOnErrors = 0;
        if (failNode != null && !failNode.isNull()) {
            failOnErrors = JsonFields.wholeNumber(failNode).filter(v -> v.signum() > 0)
                    .orElseThrow(() -> ScimException.invalidValue("failOnErrors must be a positive integer"))
                    .min(BigDecimal.valueOf(Integer.MAX_VALUE)).intValue();
        }
        JsonNode operations = JsonFields.fieldIgnoringCase(body, "Operations");
        if (operations == null || !operations.isArray() || operations.isEmpty()) {
            throw ScimException.invalidSyntax("a BulkRequest needs a non-empty \"Operations\" array");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw ScimException.of(413, ScimType.TOO_MANY, "a Bulk request may carry at most " + MAX_OPERATIONS
                    + " operations (bulk.maxOperations), this one has " + operations.size());
        }
        List<BulkOperation> out = new ArrayList<>();
        Set<String> bulkIds = new HashSet<>();
        for (JsonNode operation : operations) {
            BulkOperation parsed = operation(operation, out.size());
            if (parsed.bulkId() != null && !bulkIds.add(parsed.bulkId())) {
                throw ScimException.invalidValue("bulkId '" + ClientText.abbreviate(parsed.bulkId())
                        + "' is used by more than one operation");
            }
            out.add(parsed);
        }
        return new BulkRequest(failOnErrors, out);
    }

    private static BulkOperation operation(JsonNode operation, int index) {
        String where = "Operations[" + index + "]";
        if (!operation.isObject()) {
            throw ScimException.invalidSyntax(where + " must be a JSON object");
        }
        String method = text(operation, "method", where).toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw ScimException.invalidSyntax(where + ".method must be POST, PUT, PATCH or DELETE");
        }
        String path = text(operation, "path", where);
        JsonNode bulkIdNode = JsonFields.fieldIgnoringCase(operation, "bulkId");
        String bulkId = bulkIdNode == null || bulkIdNode.isNull() ? null : bulkIdNode.asText();
        if (method.equals("POST") && (bulkId == null || bulkId.isBlank())) {
            throw ScimException.invalidSyntax(where + ": a POST needs a bulkId");
        }
        JsonNode versionNode = JsonFields.fieldIgnoringCase(operation, "version");
        JsonNode data = JsonFields.fieldIgnoringCase(operation, "data");
        if (!method.equals("DELETE") && (data == null || !data.isObject())) {
            throw ScimException.invalidSyntax(where + ": " + method + " needs a \"data\" object");
        }
        return new BulkOperation(index, method, path, bulkId,
                versionNode == null || versionNode.isNull() ? null : versionNode.asText(), data);
    }

    private static String text(JsonNode operation, String name, String where) {
        JsonNode node = JsonFields.fieldIgnoringCase(operation, name);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw ScimException.invalidSyntax(where + " needs a \"" + name + "\" string");
        }
        return node.asText().trim();
    }
}
