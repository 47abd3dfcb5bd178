package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a canonical resource tree, schema-aware, all or
 * nothing: the engine works on a copy and the first refused operation discards it.
 */
public final class PatchEngine {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResourceType type;
    /** The id of the resource patched: a path-less value may echo it, never change it. */
    private final String id;
    /** The values made from a filter without their "value", by identity, to be completed before the end. */
    private final Map<JsonNode, AttributeDefinition> madeIncomplete = new IdentityHashMap<>();
    /** The values an add or replace sent without content, by identity, and the list each went into. */
    private final Map<JsonNode, SentSlot> sentWithoutContent = new IdentityHashMap<>();

    /** Where a value sent without content went: the attribute {@code def} of {@code container}. */
    private record SentSlot(ObjectNode container, AttributeDefinition def) {
    }

    private PatchEngine(ResourceType type, String id) {
        this.type = type;
        this.id = id;
    }

    /**
     * The resource whose id is {@code id} after every operation; {@code resource} itself is left
     * unchanged.
     */
    public static ObjectNode apply(ResourceType type, String id, ObjectNode resource, List<PatchOperation> operations) {
        PatchEngine engine = new PatchEngine(type, id);
        ObjectNode working = resource.deepCopy();
        for (PatchOperation operation : operations) {
            engine.applyOne(working, operation);
        }
        engine.checkMadeValuesComplete();
        engine.dropSentWithoutContent();
        engine.checkRequired(working);
        return working;
    }

    /**
     * Whether every operation names the core attribute {@code name} itself and nothing else: as its path
     * (no value filter, no sub-attribute) or as the one key of a path-less value. Such operations read
     * and change that attribute alone, so on a tree of it and the required attributes they give it the
     * value, or the refusal, they give on the whole resource: a caller may leave the rest unread.
     */
    public static boolean nameOnly(ResourceType type, String name, List<PatchOperation> operations) {
        for (PatchOperation operation : operations) {
            PatchPath path = operation.path();
            boolean named = path == null
                    ? operation.value().size() == 1 && operation.value().fieldNames().next().equalsIgnoreCase(name)
                    : path.valueFilter() == null && path.subAttribute() == null && !path.attribute().hasSubAttribute()
                      && type.resolve(path.attribute()).filter(found -> found.inCore(type)
                                && found.definition().name().equalsIgnoreCase(name)).isPresent();
            if (!named) {
                return false;
            }
        }
        return true;
    }

    private void applyOne(ObjectNode resource, PatchOperation operation) {
        if (operation.path() != null) {
            applyPath(resource, operation.op(), operation.path(), operation.value(), false);
            return;
        }
        applyPathless(resource, operation.op(), operation.value());
    }

    private void applyPathless(ObjectNode resource, PatchOperation.Op op, JsonNode value) {
        applyPathless(resource, op, value, new HashSet<>());
    }

    /**
     * {@code given}: the attributes the value names so far, each once: two spellings of one (in two
     * cases, bare and under its URN) are refused, as in a resource body, rather than the last kept.
     */
    private void applyPathless(ObjectNode resource, PatchOperation.Op op, JsonNode value, Set<String> given) {
        for (var it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Optional<Schema> extension = type.extension(field.getKey());
            if (field.getKey().equalsIgnoreCase(type.core().id())) {
                // The core schema's URN as a key holds core attributes, as an extension's holds its own:
                // ignored as an unknown attribute, they were a 204 that changed nothing.
                if (!field.getValue().isObject()) {
                    throw ScimException.invalidValue(type.core().id() + " must be a JSON object");
                }
                applyPathless(resource, op, field.getValue(), given);
            } else if (extension.isPresent()) {
                field.getValue().fieldNames().forEachRemaining(name -> extension.get().attribute(name).ifPresent(def ->
                        ResourceNormalizer.once(given, extension.get().id() + ":" + def.name(), name)));
                applyToExtension(resource, op, extension.get(), field.getValue());
            } else if (!field.getKey().equalsIgnoreCase("schemas")) {
                pathOf(field.getKey()).ifPresent(path -> {
                    // Entra names several values of one attribute by their filters in one value
                    // (phoneNumbers[type eq "work"].value, phoneNumbers[type eq "mobile"].value): a
                    // filtered key is one name with its filter.
                    type.resolve(path.attribute()).ifPresent(resolved -> ResourceNormalizer.once(given,
                            resolved.schema().id() + ":" + (path.valueFilter() != null ? path.toString()
                                    : resolved.definition().name() + (path.attribute().subAttribute() == null ? ""
                                    : "." + path.attribute().subAttribute())), field.getKey()));
                    applyPath(resource, op, path, field.getValue(), true);
                });
            }
        }
    }

    /** A key of a path-less value that is no path at all is ignored, like any unknown attribute. */
    private static Optional<PatchPath> pathOf(String key) {
        try {
            return Optional.of(PatchPath.parse(key));
        } catch (ScimException e) {
            return Optional.empty();
        }
    }

    private void applyToExtension(ObjectNode resource, PatchOperation.Op op, Schema extension, JsonNode value) {
        if (op == PatchOperation.Op.REMOVE || value == null || value.isNull()) {
            if (op != PatchOperation.Op.ADD) {
                resource.remove(extension.id());
            }
            return;
        }
        if (!value.isObject()) {
            throw ScimException.invalidValue(extension.id() + " must be a JSON object");
        }
        for (var it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            AttributePath sub = AttributePath.parse(extension.id() + ":" + field.getKey());
            applyPath(resource, op, new PatchPath(sub, null, null), field.getValue(), true);
        }
    }

    /**
     * {@code lenient} is true for attributes named inside a path-less value: read-only and unknown
     * ones are ignored there (Okta echoes the group's id in a rename), but refused when a path names them,
     * and so is another id than the resource's: that asks for a change the id cannot take (RFC 7644
     * §3.5.2), where ignoring it would answer 200 to a client that meant another resource.
     */
    private void applyPath(ObjectNode resource, PatchOperation.Op op, PatchPath path, JsonNode value, boolean lenient) {
        if (path.valueFilter() == null) {
            Optional<Schema> whole = type.extension(path.attribute().toString());
            if (whole.isPresent()) {
                applyToExtension(resource, op, whole.get(), value);
                return;
            }
        }
        Optional<ResourceType.ResolvedAttribute> resolved = type.resolve(path.attribute());
        if (resolved.isEmpty()) {
            if (lenient) {
                return;
            }
            throw ScimException.invalidPath("no attribute '"
                    + ClientText.abbreviate(path.attribute().withoutSubAttribute().toString()) + "' in "
                    + type.name());
        }
        AttributeDefinition def = resolved.get().definition();
        String subName = path.valueFilter() == null ? path.attribute().subAttribute() : path.subAttribute();
        AttributeDefinition sub = subName == null ? null : subAttribute(def, subName);
        if (def.isReadOnly() || (sub != null && sub.isReadOnly())) {
            boolean namesId = sub == null && resolved.get().inCore(type) && def.name().equals("id");
            if (lenient && (!namesId || (value != null && value.isTextual() && value.asText().equalsIgnoreCase(id)))) {
                return;
            }
            throw ScimException.mutability("'" + ClientText.abbreviate(path.toString()) + "' is read-only");
        }
        ObjectNode container = ResourceNormalizer.container(type, resource, resolved.get().schema());
        JsonNode valuesBefore = container.get(def.name());
        int countBefore = valuesBefore != null && valuesBefore.isArray() ? valuesBefore.size() : 0;
        AttributeTarget target = new AttributeTarget(container, def, sub, path, madeIncomplete, sentWithoutContent);
        if (path.valueFilter() != null) {
            target.applyFiltered(op, path.valueFilter(), value);
        } else if (sub != null) {
            target.applySubAttribute(op, value);
        } else {
            target.applyWhole(op, value);
        }
        JsonNode values = container.get(def.name());
        if (def.multiValued() && values != null && values.size() > countBefore) {
            // Checked after each operation that adds: a PATCH of many adds would otherwise compare
            // thousands. One that adds none passes, so a user stored with more still takes a change.
            ResourceNormalizer.refuseTooManyValues(def, values, def.name());
        }
        if (container != resource && container.isEmpty()) {
            resource.remove(resolved.get().schema().id());
        }
    }

    private static AttributeDefinition subAttribute(AttributeDefinition def, String subName) {
        if (!def.isComplex()) {
            throw ScimException.invalidPath("'" + def.name() + "' has no sub-attributes");
        }
        return def.subAttribute(subName).orElseThrow(() -> ScimException.invalidPath(
                "'" + ClientText.abbreviate(subName) + "' is not a sub-attribute of " + def.name()));
    }

    /**
     * A value an {@code eq} filter made may lack its content while the PATCH runs ({@code
     * emails[type eq "home"].primary}, then {@code emails[type eq "home"].value}): its "value", or, for
     * an attribute without one (addresses), anything but its type and primary. One still without it at
     * the end, whether in the list or dropped from it as no value by a later operation, was never made:
     * the filter matched nothing the PATCH completed (RFC 7644 §3.5.2.3: noTarget). Only such values are
     * judged: one the resource held before (stored by an older version) is left alone.
     */
    private void checkMadeValuesComplete() {
        for (Map.Entry<JsonNode, AttributeDefinition> made : madeIncomplete.entrySet()) {
            if (ResourceNormalizer.withoutContent(made.getValue(), made.getKey())) {
                throw ScimException.noTarget("a value that a filter matching nothing made was given "
                        + (made.getValue().subAttribute("value").isPresent() ? "no \"value\""
                        : "nothing but its type and primary") + ": " + ClientText.abbreviate(made.getKey().toString()));
            }
        }
    }

    /**
     * A value an add or replace sent without content (a template's empty slot: OneLogin's
     * {@code {"type": "home"}}) may be completed by a later operation of the PATCH, through a filter that
     * selects it; one still without content at the end is no value, and leaves its list, as a POST or PUT
     * takes it.
     */
    private void dropSentWithoutContent() {
        sentWithoutContent.forEach((value, slot) -> {
            if (slot.container().get(slot.def().name()) instanceof ArrayNode array
                    && ResourceNormalizer.withoutContent(slot.def(), value)) {
                AttributeTarget.removeIf(array, element -> element == value);
                if (array.isEmpty()) {
                    slot.container().remove(slot.def().name());
                }
            }
        });
    }

    private void checkRequired(ObjectNode resource) {
        for (AttributeDefinition def : type.core().attributes()) {
            if (def.required() && !resource.has(def.name())) {
                throw ScimException.invalidValue(def.name() + " is required and cannot be removed");
            }
        }
    }

    /** One attribute in its container, and the operations on it. */
    private record AttributeTarget(ObjectNode container, AttributeDefinition def, AttributeDefinition sub,
                                   PatchPath path, Map<JsonNode, AttributeDefinition> madeIncomplete,
                                   Map<JsonNode, SentSlot> sentWithoutContent) {

        void applyWhole(PatchOperation.Op op, JsonNode raw) {
            // A remove of a single value ignores any value sent with it, as applySubAttribute does.
            JsonNode value = op == PatchOperation.Op.REMOVE ? null : ResourceNormalizer.value(def, raw, def.name());
            JsonNode existing = container.get(def.name());
            switch (op) {
                case REMOVE -> remove(raw);
                case ADD -> {
                    if (value == null) {
                        return;
                    }
                    if (def.multiValued()) {
                        ArrayNode array = existing instanceof ArrayNode a ? a : NODES.arrayNode();
                        List<JsonNode> added = new ArrayList<>();
                        Set<JsonNode> present = new HashSet<>();
                        array.forEach(present::add);
                        for (JsonNode v : value) {
                            ObjectNode same = RepeatedValues.sameAs(def, array, v);
                            if (same != null) {
                                // §3.5.2.1: a value already there is not added again (RFC 7643 §2.4: no
                                // two of one value and type); what the add says of it is kept.
                                same.setAll((ObjectNode) v);
                                added.add(same);
                            } else if (present.add(v)) {
                                array.add(v);
                                // A slot takes no primary from a value that has content until one
                                // completes it (its filter then makes it primary).
                                if (!noteIfWithoutContent(v)) {
                                    added.add(v);
                                }
                            }
                        }
                        set(array);
                        keepOnePrimary(array, added);
                    } else {
                        set(def.isComplex() ? merge(existing, value) : value);
                    }
                }
                case REPLACE -> {
                    if (!def.multiValued() && def.isComplex() && raw != null && raw.isObject()) {
                        // §3.5.2.3: the sub-attributes sent replace theirs, those sent empty are
                        // unassigned (RFC 7643 §2.5), and the others are left as they are.
                        ObjectNode merged = (ObjectNode) merge(existing, value == null ? NODES.objectNode() : value);
                        merged.remove(unassigned(def, raw, value));
                        if (isHollow(merged)) {
                            // A manager whose id is unassigned is no manager, whatever $ref it kept.
                            removeAttribute();
                        } else {
                            set(merged);
                        }
                    } else if (value == null) {
                        removeAttribute();
                    } else {
                        set(value);
                        if (def.multiValued()) {
                            value.forEach(this::noteIfWithoutContent);
                        }
                    }
                }
            }
        }

        /**
         * Keeps a value sent without content for a later operation to complete (see
         * dropSentWithoutContent); answers whether it was one.
         */
        private boolean noteIfWithoutContent(JsonNode v) {
            if (ResourceNormalizer.isValueList(def) && ResourceNormalizer.withoutContent(def, v)) {
                sentWithoutContent.put(v, new SentSlot(container, def));
                return true;
            }
            return false;
        }

        private void remove(JsonNode raw) {
            JsonNode existing = container.get(def.name());
            if (def.multiValued() && raw != null && !raw.isNull() && existing instanceof ArrayNode array) {
                // Entra removes members as {"op":"Remove","path":"members","value":[{"value":"id"}]}.
                JsonNode doomed = ResourceNormalizer.value(def, raw, def.name());
                if (doomed == null) {
                    return;
                }
                for (JsonNode d : doomed) {
                    removeIf(array, element -> namesTheSameValue(element, d));
                }
                set(array);
                return;
            }
            removeAttribute();
        }

        void applySubAttribute(PatchOperation.Op op, JsonNode raw) {
            JsonNode value = op == PatchOperation.Op.REMOVE ? null
                    : ResourceNormalizer.simpleValue(sub, raw, def.name() + "." + sub.name());
            if (op == PatchOperation.Op.ADD && value == null) {
                return;
            }
            JsonNode existing = container.get(def.name());
            if (def.multiValued()) {
                ArrayNode array = existing instanceof ArrayNode a ? a : NODES.arrayNode();
                if (array.isEmpty() && value != null) {
                    array.add(NODES.objectNode().set(sub.name(), value));
                } else {
                    refuseSecondPrimary(array, value);
                    array.forEach(element -> setOrRemove((ObjectNode) element, sub.name(), value));
                    RepeatedValues.merge(def, array, Set.of());
                    // A value a filter made, or a slot the PATCH sent, completed here takes primary as one
                    // completed by its filter does.
                    List<JsonNode> completed = new ArrayList<>();
                    array.forEach(element -> {
                        if ((madeIncomplete.containsKey(element) || sentWithoutContent.containsKey(element))
                                && !ResourceNormalizer.withoutContent(def, element)) {
                            completed.add(element);
                        }
                    });
                    keepOnePrimary(array, completed);
                }
                removeIf(array, this::isHollowUnlessSent);
                set(array);
                return;
            }
            ObjectNode object = existing instanceof ObjectNode o ? o : NODES.objectNode();
            setOrRemove(object, sub.name(), value);
            if (isHollow(object)) {
                // A manager whose id is unassigned, or never was, is no manager, whatever $ref it holds.
                removeAttribute();
            } else {
                set(object);
            }
        }

        /**
         * Without a filter, {@code emails.primary = true} would mark every value primary; RFC 7643
         * §2.4 allows one at most, and picking one for the client would be a guess.
         */
        private void refuseSecondPrimary(ArrayNode array, JsonNode value) {
            if (!sub.name().equals("primary") || value == null || !value.asBoolean()) {
                return;
            }
            // A slot this PATCH sent is no value yet: it does not make the flag a second primary.
            int values = 0;
            for (JsonNode element : array) {
                values += sentWithoutContent.containsKey(element) ? 0 : 1;
            }
            if (values > 1) {
                throw ScimException.invalidValue("'" + ClientText.abbreviate(path.toString()) + "' would make "
                        + values + " values of " + def.name() + " primary; select one with a filter");
            }
        }

        void applyFiltered(PatchOperation.Op op, Filter filter, JsonNode raw) {
            if (!def.isComplex() || !def.multiValued()) {
                throw ScimException.invalidPath("a value filter needs a multi-valued complex attribute, '"
                        + def.name() + "' is not one");
            }
            ElementFilter.check(filter, def);
            ArrayNode array = container.get(def.name()) instanceof ArrayNode a ? a : NODES.arrayNode();
            List<ObjectNode> matched = new ArrayList<>();
            array.forEach(element -> {
                if (ElementFilter.matches(filter, def, element)) {
                    matched.add((ObjectNode) element);
                }
            });
            if (op == PatchOperation.Op.REMOVE) {
                matched.forEach(element -> {
                    if (sub == null) {
                        element.removeAll();
                        // Removed, not waiting for content: a later operation must not bring it back.
                        sentWithoutContent.remove(element);
                    } else {
                        element.remove(sub.name());
                    }
                });
                removeIf(array, this::isHollowUnlessSent);
                // A value without the sub-attribute may now be one already there (a type removed).
                RepeatedValues.merge(def, array, RepeatedValues.sent(matched));
                set(array);
                return;
            }
            JsonNode value = sub == null ? ResourceNormalizer.value(elementDefinition(), raw, def.name())
                    : ResourceNormalizer.simpleValue(sub, raw, path.toString());
            if (value == null && op == PatchOperation.Op.ADD) {
                return;
            }
            if (sub == null && op == PatchOperation.Op.REPLACE && (raw == null || raw.isNull())) {
                // Replaced by null, the selected values are unassigned (RFC 7643 §2.5).
                removeIf(array, matched::contains);
                set(array);
                return;
            }
            if (matched.isEmpty()) {
                createFromFilter(filter, value).ifPresent(made -> {
                    array.add(made);
                    // A value the filter names that is already there (in another case) is that one.
                    ObjectNode created = RepeatedValues.merge(def, array, RepeatedValues.sent(List.of(made)))
                            .getOrDefault(made, made);
                    set(array);
                    // Without its "value" yet, it takes primary from no value: a later operation of the
                    // PATCH that completes it does, and one left incomplete is refused at the end.
                    if (ResourceNormalizer.withoutContent(def, created)) {
                        madeIncomplete.put(created, def);
                    } else {
                        keepOnePrimary(array, List.of(created));
                    }
                });
                return;
            }
            for (ObjectNode element : matched) {
                if (sub != null) {
                    setOrRemove(element, sub.name(), value);
                } else {
                    // Each selected value is complex: §3.5.2.3 replaces the sub-attributes sent and
                    // leaves the others, as a replace of a single complex attribute does.
                    if (value != null) {
                        element.setAll((ObjectNode) value);
                    }
                    if (op == PatchOperation.Op.REPLACE) {
                        element.remove(unassigned(def, raw, value));
                    }
                }
            }
            removeIf(array, this::isHollowUnlessSent);
            Map<JsonNode, ObjectNode> mergedInto = RepeatedValues.merge(def, array, RepeatedValues.sent(matched));
            set(array);
            keepOnePrimary(array, matched.stream().filter(element -> !isHollow(element))
                    .map(element -> (JsonNode) mergedInto.getOrDefault(element, element)).toList());
        }

        /**
         * The sub-attributes of {@code complex} that {@code raw} names and its normalised {@code value}
         * left out, read-only ones aside: those sent as null or empty, to unassign.
         */
        private static List<String> unassigned(AttributeDefinition complex, JsonNode raw, JsonNode value) {
            List<String> names = new ArrayList<>();
            if (raw != null && raw.isObject()) {
                raw.fields().forEachRemaining(field -> complex.subAttribute(field.getKey())
                        .filter(sub -> !sub.isReadOnly() && (value == null || !value.has(sub.name())))
                        .ifPresent(sub -> names.add(sub.name())));
            }
            return names;
        }

        /** The definition of one value of the multi-valued attribute. */
        private AttributeDefinition elementDefinition() {
            return new AttributeDefinition(def.name(), def.type(), false, def.description(), false, def.caseExact(),
                    def.mutability(), def.returned(), def.uniqueness(), def.canonicalValues(), def.referenceTypes(),
                    def.subAttributes());
        }

        /**
         * Entra replaces {@code emails[type eq "work"].value} on a user with no work email and expects it
         * created; a filter made only of {@code eq} tests describes the value to create. Any other filter
         * that matches nothing is {@code noTarget}.
         */
        private Optional<ObjectNode> createFromFilter(Filter filter, JsonNode value) {
            if (value == null) {
                return Optional.empty();
            }
            ObjectNode created = equalities(filter).orElseThrow(() -> ScimException.noTarget("no value of "
                    + def.name() + " matches '" + ClientText.abbreviate(path.toString()) + "'"));
            if (sub != null) {
                created.set(sub.name(), value);
            } else {
                created.setAll((ObjectNode) value);
            }
            return Optional.of(created);
        }

        private Optional<ObjectNode> equalities(Filter filter) {
            ObjectNode out = NODES.objectNode();
            return collectEqualities(filter, out) ? Optional.of(out) : Optional.empty();
        }

        private boolean collectEqualities(Filter filter, ObjectNode out) {
            if (filter instanceof Filter.And and) {
                return collectEqualities(and.left(), out) && collectEqualities(and.right(), out);
            }
            if (filter instanceof Filter.Comparison c && c.operator() == ComparisonOperator.EQ
                    && !c.path().hasSubAttribute()) {
                Optional<AttributeDefinition> subDef = def.subAttribute(c.path().attribute());
                if (subDef.isEmpty()) {
                    return false;
                }
                JsonNode v = ResourceNormalizer.simpleValue(subDef.get(), c.value(), def.name() + "." + subDef.get().name());
                if (v != null) {
                    out.set(subDef.get().name(), v);
                }
                return true;
            }
            return false;
        }

        private void set(JsonNode value) {
            if (value == null || (value.isContainerNode() && value.isEmpty())) {
                removeAttribute();
                return;
            }
            JsonNode existing = container.get(def.name());
            if (def.mutability() == Mutability.IMMUTABLE && existing != null && !existing.equals(value)) {
                throw ScimException.mutability("'" + def.name() + "' is immutable and already set");
            }
            container.set(def.name(), value);
        }

        private void removeAttribute() {
            if (def.required()) {
                throw ScimException.invalidValue(def.name() + " is required and cannot be removed");
            }
            container.remove(def.name());
        }

        /**
         * A value that lost everything, or lost its "value" where the attribute has one (an email
         * without an address), is no value at all and leaves the list.
         */
        private boolean isHollow(JsonNode element) {
            return element.isEmpty() || (def.subAttribute("value").isPresent() && !element.has("value"));
        }

        /** Hollow, but not a value this PATCH sent without content: that one waits for the end. */
        private boolean isHollowUnlessSent(JsonNode element) {
            return isHollow(element) && !sentWithoutContent.containsKey(element);
        }

        /**
         * Sub-attributes not named keep their value (RFC 7644 §3.5.2.3), unless the new value names
         * another "value": then the rest described the old one ({@code manager.$ref}) and goes with it.
         */
        private static JsonNode merge(JsonNode existing, JsonNode value) {
            JsonNode newValue = value.get("value");
            boolean otherValue = newValue != null && existing != null && existing.has("value")
                    && !existing.get("value").equals(newValue);
            ObjectNode merged = existing instanceof ObjectNode o && !otherValue ? o.deepCopy() : NODES.objectNode();
            merged.setAll((ObjectNode) value);
            return merged;
        }

        private static void setOrRemove(ObjectNode object, String name, JsonNode value) {
            if (value == null) {
                object.remove(name);
            } else {
                object.set(name, value);
            }
        }

        /**
         * Whether {@code other} names {@code element}: the same "value", compared as its {@code caseExact}
         * says, where both have one; else the same whole value.
         */
        private boolean namesTheSameValue(JsonNode element, JsonNode other) {
            JsonNode a = element.get("value");
            JsonNode b = other.get("value");
            if (a == null || b == null) {
                return element.equals(other);
            }
            return RepeatedValues.comparable(def, a.asText()).equals(RepeatedValues.comparable(def, b.asText()));
        }

        private static void removeIf(ArrayNode array, Predicate<JsonNode> doomed) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (doomed.test(array.get(i))) {
                    array.remove(i);
                }
            }
        }

        /**
         * RFC 7643 §2.4: at most one primary; the value just made primary wins. A value that held
         * nothing but its primary flag is left with nothing, so it leaves the list.
         */
        private static void keepOnePrimary(ArrayNode array, List<JsonNode> touched) {
            boolean newPrimary = touched.stream().anyMatch(v -> v.path("primary").asBoolean(false));
            if (!newPrimary) {
                return;
            }
            JsonNode winner = touched.stream().filter(v -> v.path("primary").asBoolean(false)).reduce((a, b) -> b)
                    .orElseThrow();
            for (JsonNode element : array) {
                if (element != winner && element instanceof ObjectNode o && o.path("primary").asBoolean(false)) {
                    o.remove("primary");
                }
            }
            removeIf(array, JsonNode::isEmpty);
        }
    }
}
