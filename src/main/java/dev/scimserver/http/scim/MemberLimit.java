package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimUrns;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * At most {@value #MAX_MEMBERS} member values in one Group request (POST, PUT, or all operations of
 * one PATCH). A membership change is one transaction that holds the group's row lock; a bound on it
 * bounds how long other writers of that group wait and how much a crash has to roll back. Ten
 * thousand is ten times what Entra and Okta put in one request, and still fits the 1 MiB body.
 *
 * <p>The answer is 413 without a scimType: RFC 7644 Table 8 gives 413 for "one or more of the
 * limits for this operation have been exceeded"; {@code tooMany} (400) is defined for filters
 * that select too many results, not for what a client sends.
 */
final class MemberLimit {
    static final int MAX_MEMBERS = 10_000;

    private MemberLimit() {
    }

    /** A Group resource as sent with POST or PUT. */
    static void checkResource(JsonNode body) {
        if (body != null && body.isObject()) {
            check(membersIn(body));
        }
    }

    static void checkPatch(List<PatchOperation> operations) {
        long members = 0;
        for (PatchOperation operation : operations) {
            if (operation.path() == null) {
                // parseRequest lets no add or replace without a path through unless its value is an object.
                members += membersIn(operation.value());
            } else if (namesMembers(operation.path().attribute())) {
                members += count(operation.value());
            }
        }
        check(members);
    }

    private static void check(long members) {
        if (members > MAX_MEMBERS) {
            throw ScimException.tooLarge("a request may carry at most " + MAX_MEMBERS + " members; this one has "
                    + members + ". Send the members in several requests");
        }
    }

    private static boolean namesMembers(AttributePath path) {
        return path.attribute().equalsIgnoreCase("members")
                && (path.schemaUrn() == null || path.schemaUrn().equalsIgnoreCase(ScimUrns.GROUP));
    }

    private static long membersIn(JsonNode object) {
        long members = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equalsIgnoreCase("members") || name.equalsIgnoreCase(ScimUrns.GROUP + ":members")) {
                members += count(field.getValue());
            } else if (name.equalsIgnoreCase(ScimUrns.GROUP) && field.getValue().isObject()) {
                // Core attributes may come under the core schema's URN, members among them.
                members += membersIn(field.getValue());
            }
        }
        return members;
    }

    private static long count(JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        return value.isArray() ? value.size() : 1;
    }
}
