package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.AttributeDefinition;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.PatchPath;
import dev.scimserver.scim.ResourceNormalizer;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimSchemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The password a PATCH sets, read from its operations alone, before the PATCH runs. {@code password} is
 * write-only (RFC 7643 §4.1.1): no stored value takes part in the PATCH, so what the PATCH engine leaves
 * is what the operations that name it say, in order; an add or a replace of a value sets it, a replace
 * with nothing or a remove unsets it (the update then keeps the current password, as a PUT without one
 * does). An operation that names it with a filter or a sub-attribute sets nothing here: the engine
 * refuses it when the PATCH runs.
 */
final class PatchedPassword {
    private static final ResourceType USERS = ScimSchemas.get().users();
    private static final AttributeDefinition PASSWORD = USERS.core().attribute("password").orElseThrow(
            () -> new IllegalStateException("the User schema has no password attribute"));

    private PatchedPassword() {
    }

    static Optional<String> of(List<PatchOperation> operations) {
        Optional<JsonNode> password = Optional.empty();
        for (PatchOperation operation : operations) {
            if (operation.path() != null) {
                if (namesPassword(operation.path())) {
                    password = after(operation.op(), operation.value(), password);
                }
            } else if (operation.op() != PatchOperation.Op.REMOVE && operation.value() != null) {
                password = afterPathless(operation.op(), operation.value(), password);
            }
        }
        return password.map(JsonNode::asText);
    }

    /**
     * What a path-less value's keys leave, as the PATCH engine reads them: a key that names the password,
     * or the core schema's URN holding an object of core attributes, the password among them.
     */
    private static Optional<JsonNode> afterPathless(PatchOperation.Op op, JsonNode value, Optional<JsonNode> before) {
        Optional<JsonNode> password = before;
        for (var it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equalsIgnoreCase(USERS.core().id())) {
                if (field.getValue().isObject()) {
                    password = afterPathless(op, field.getValue(), password);
                }
            } else if (pathOf(field.getKey()).filter(PatchedPassword::namesPassword).isPresent()) {
                password = after(op, field.getValue(), password);
            }
        }
        return password;
    }

    /** What one operation on the password leaves, given what the operations before it left. */
    private static Optional<JsonNode> after(PatchOperation.Op op, JsonNode raw, Optional<JsonNode> before) {
        if (op == PatchOperation.Op.REMOVE) {
            return Optional.empty();
        }
        JsonNode value = ResourceNormalizer.value(PASSWORD, raw, PASSWORD.name());
        return value == null && op == PatchOperation.Op.ADD ? before : Optional.ofNullable(value);
    }

    private static boolean namesPassword(PatchPath path) {
        AttributePath attribute = path.attribute();
        return !path.hasValueFilter() && !attribute.hasSubAttribute()
                && USERS.resolve(attribute).filter(r -> r.inCore(USERS) && r.definition().name().equals(PASSWORD.name()))
                .isPresent();
    }

    /** A key of a path-less value that is no path at all names nothing, as the PATCH engine reads it. */
    private static Optional<PatchPath> pathOf(String key) {
        if (USERS.extension(key).isPresent() || key.equalsIgnoreCase("schemas")) {
            return Optional.empty();
        }
        try {
            return Optional.of(PatchPath.parse(key));
        } catch (ScimException e) {
            return Optional.empty();
        }
    }
}
