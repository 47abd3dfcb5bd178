package dev.scimserver.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ComparisonOperator;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.JsonFields;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.PatchPath;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimUrns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Separates what a Group PATCH does to {@code members} from what it does to the other attributes:
 * members are never loaded to be changed, so their operations become {@link MembershipChange}s
 * and the rest goes to the PATCH engine. Covers the shapes Okta and Entra send: add with a value
 * array, remove by {@code members[value eq "…"]}, remove with a value array, remove all, replace.
 */
final class MemberOperations {
    private static final String NEEDS_VALUE = "each member needs a \"value\" with the user's id";

    final List<PatchOperation> attributeOperations = new ArrayList<>();
    final List<MembershipChange> membershipChanges = new ArrayList<>();

    private MemberOperations() {
    }

    static MemberOperations split(List<PatchOperation> operations) {
        MemberOperations out = new MemberOperations();
        for (PatchOperation operation : operations) {
            if (operation.path() == null) {
                out.splitPathless(operation);
            } else if (namesMembers(operation.path().attribute().schemaUrn(), operation.path().attribute().attribute())) {
                out.membershipChanges.addAll(changes(operation));
            } else {
                out.attributeOperations.add(operation);
            }
        }
        return out;
    }

    private static boolean namesMembers(String urn, String attribute) {
        return attribute.equalsIgnoreCase("members") && (urn == null || urn.equalsIgnoreCase(ScimUrns.GROUP));
    }

    private void splitPathless(PatchOperation operation) {
        ObjectNode rest = operation.value().deepCopy();
        takeMembers(operation.op(), rest);
        // Core attributes under the core schema's URN (PatchEngine reads the rest of them there).
        rest.fields().forEachRemaining(field -> {
            if (field.getKey().equalsIgnoreCase(ScimUrns.GROUP) && field.getValue() instanceof ObjectNode core) {
                takeMembers(operation.op(), core);
            }
        });
        if (!rest.isEmpty()) {
            attributeOperations.add(new PatchOperation(operation.op(), null, rest));
        }
    }

    /** A key of a body or a path-less value that names members: the attribute's name, or it after the core URN. */
    private static boolean isMembersKey(String key) {
        return key.equalsIgnoreCase("members") || key.equalsIgnoreCase(ScimUrns.GROUP + ":members");
    }

    /**
     * Moves what {@code value} says of the members, under any key that is a path to them, from it to
     * the membership changes: a key naming a part of them ({@code members.value}) or selecting them by
     * a filter is judged as that path would be, where the PATCH engine would keep it in the group's
     * own attributes, as no member.
     */
    private void takeMembers(PatchOperation.Op op, ObjectNode value) {
        Map<String, PatchPath> memberKeys = new LinkedHashMap<>();
        value.fieldNames().forEachRemaining(key -> membersPath(key).ifPresent(path -> memberKeys.put(key, path)));
        memberKeys.forEach((key, path) -> membershipChanges.addAll(changes(new PatchOperation(op, path,
                value.remove(key)))));
    }

    /** The path {@code key} is when it leads to the members; a key that is no path is the engine's to judge. */
    private static Optional<PatchPath> membersPath(String key) {
        try {
            PatchPath path = PatchPath.parse(key);
            return namesMembers(path.attribute().schemaUrn(), path.attribute().attribute()) ? Optional.of(path)
                    : Optional.empty();
        } catch (ScimException notAPath) {
            return Optional.empty();
        }
    }

    private static List<MembershipChange> changes(PatchOperation operation) {
        PatchPath path = operation.path();
        if (path.attribute().hasSubAttribute() || path.subAttribute() != null) {
            throw ScimException.invalidPath("members are changed as whole values; '"
                    + ClientText.abbreviate(path.toString()) + "' names a part of one");
        }
        if (path.valueFilter() != null) {
            if (operation.op() != PatchOperation.Op.REMOVE) {
                throw ScimException.invalidPath("members can be selected by a filter only to remove them");
            }
            return List.of(new MembershipChange.Remove(idsOf(path.valueFilter())));
        }
        return switch (operation.op()) {
            case ADD -> List.of(new MembershipChange.Add(memberIds(operation.value())));
            case REPLACE -> {
                List<UUID> members = memberIds(operation.value());
                yield List.of(new MembershipChange.RemoveAll(members), new MembershipChange.Add(members));
            }
            // RFC 7644 section 3.5.2.2: a remove of "members" without a filter removes them all. A value
            // names the members to remove (Entra's form), so an empty one names none.
            case REMOVE -> operation.value() == null || operation.value().isNull()
                    ? List.of(new MembershipChange.RemoveAll(List.of()))
                    : List.of(new MembershipChange.Remove(memberIds(operation.value(), true)));
        };
    }

    private static boolean isEmpty(JsonNode value) {
        return value == null || value.isNull() || (value.isContainerNode() && value.isEmpty());
    }

    /**
     * The ids a members filter selects. Members are selected by their value: {@code value eq "id"},
     * joined by {@code or}. Selecting by display name or type is refused with a clear error.
     */
    private static List<UUID> idsOf(Filter filter) {
        Set<UUID> ids = new LinkedHashSet<>();
        collectIds(filter, ids);
        return List.copyOf(ids);
    }

    private static void collectIds(Filter filter, Set<UUID> ids) {
        if (filter instanceof Filter.Or or) {
            collectIds(or.left(), ids);
            collectIds(or.right(), ids);
            return;
        }
        if (filter instanceof Filter.Comparison c && c.operator() == ComparisonOperator.EQ
                && !c.path().hasSubAttribute() && c.path().attribute().equalsIgnoreCase("value")
                && c.value().isTextual()) {
            // A value that is not a UUID names no member: removing it is a no-op, like any absent member.
            CanonicalUuids.parse(c.value().asText()).ifPresent(ids::add);
            return;
        }
        throw ScimException.invalidFilter("members are selected by value: use members[value eq \"id\"], "
                + "joined by 'or' for several");
    }

    /** The member ids of a members value: an array of {value, …} objects (a single object is accepted). */
    static List<UUID> memberIds(JsonNode value) {
        return memberIds(value, false);
    }

    /**
     * As {@link #memberIds(JsonNode)}; {@code removing}: a value that is not a UUID names no member, so
     * its removal is a no-op like that of any absent member, as in the filter form.
     */
    private static List<UUID> memberIds(JsonNode value, boolean removing) {
        Set<UUID> ids = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        if (isEmpty(value)) {
            return List.of();
        }
        Iterable<JsonNode> items = value.isArray() ? value : List.of(value);
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw ScimException.invalidValue("each member must be an object with a \"value\"");
            }
            JsonNode type = JsonFields.fieldIgnoringCase(item, "type");
            if (type != null && type.isTextual() && type.asText().toLowerCase(Locale.ROOT).equals("group")) {
                throw ScimException.invalidValue("groups cannot be members of groups here; only users can");
            }
            JsonNode memberValue = JsonFields.fieldIgnoringCase(item, "value");
            if (memberValue == null || !memberValue.isTextual() || memberValue.asText().isBlank()) {
                throw ScimException.invalidValue(NEEDS_VALUE);
            }
            Optional<UUID> id = CanonicalUuids.parse(memberValue.asText());
            if (id.isPresent()) {
                ids.add(id.get());
            } else if (!removing) {
                unknown.add(memberValue.asText());
            }
        }
        if (!unknown.isEmpty()) {
            throw unknownMembers(unknown);
        }
        return List.copyOf(ids);
    }

    /**
     * Refuses a group body whose {@code members} hold an object without a value ({@code {"display":
     * "Bob"}}, {@code {"value": ""}}): the normalizer drops such an element as no value at all, and a
     * POST or PUT would answer with the member missing as if that were what was asked, where a PATCH
     * adding it is 400.
     */
    static void refuseMembersWithoutValue(JsonNode body) {
        if (body == null || !body.isObject()) {
            return;
        }
        for (var it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (isMembersKey(field.getKey())) {
                refuseWithoutValue(field.getValue());
            }
        }
    }

    private static void refuseWithoutValue(JsonNode members) {
        if (!members.isArray()) {
            return;
        }
        for (JsonNode member : members) {
            JsonNode value = member.isObject() ? JsonFields.fieldIgnoringCase(member, "value") : member;
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                throw ScimException.invalidValue(NEEDS_VALUE);
            }
        }
    }

    static ScimException unknownMembers(List<String> ids) {
        List<String> shown = ids.stream().limit(20).map(ResourceIds::quoted).toList();
        return ScimException.invalidValue("unknown members: " + String.join(", ", shown)
                + (ids.size() > shown.size() ? " and " + (ids.size() - shown.size()) + " more" : ""));
    }
}
