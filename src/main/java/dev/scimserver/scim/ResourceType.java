package dev.scimserver.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A resource type (RFC 7643 §6) with its schemas resolved: the core schema first, then the
 * extensions. Resolves attribute names the way clients write them: any case, URN-qualified or not.
 */
public record ResourceType(String id, String name, String endpoint, String description, Schema core,
                           List<AttributeDefinition> common, List<Extension> extensions) {

    /** An extension schema of the resource type and whether a resource must carry it. */
    public record Extension(Schema schema, boolean required) {
    }

    public ResourceType {
        common = List.copyOf(common);
        extensions = List.copyOf(extensions);
    }

    /** A common attribute (RFC 7643 §3.1: id, externalId, meta) by name. */
    public Optional<AttributeDefinition> commonAttribute(String attributeName) {
        for (AttributeDefinition attribute : common) {
            if (attribute.name().equalsIgnoreCase(attributeName)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    public List<Schema> schemas() {
        List<Schema> all = new ArrayList<>();
        all.add(core);
        extensions.forEach(e -> all.add(e.schema()));
        return all;
    }

    /** The extension schema with this URN (case-insensitive). */
    public Optional<Schema> extension(String urn) {
        // A loop, not a stream: rendering asks this for every attribute of every resource.
        for (Extension extension : extensions) {
            if (extension.schema().id().equalsIgnoreCase(urn)) {
                return Optional.of(extension.schema());
            }
        }
        return Optional.empty();
    }

    /** The schema with this URN, core or extension. */
    public Optional<Schema> schema(String urn) {
        return core.id().equalsIgnoreCase(urn) ? Optional.of(core) : extension(urn);
    }

    /**
     * The attribute a path's top level names. A path without URN looks in the core schema, then in
     * the extensions (RFC 7644 §3.10 lets clients omit the URN where the name is unambiguous).
     */
    public Optional<ResolvedAttribute> resolve(AttributePath path) {
        boolean coreOrNoUrn = path.schemaUrn() == null || path.schemaUrn().equalsIgnoreCase(core.id());
        Optional<AttributeDefinition> commonAttr = coreOrNoUrn ? commonAttribute(path.attribute()) : Optional.empty();
        if (commonAttr.isPresent()) {
            return Optional.of(new ResolvedAttribute(core, commonAttr.get()));
        }
        if (path.schemaUrn() != null) {
            return schema(path.schemaUrn()).flatMap(s -> s.attribute(path.attribute())
                    .map(a -> new ResolvedAttribute(s, a)));
        }
        Optional<ResolvedAttribute> inCore = core.attribute(path.attribute()).map(a -> new ResolvedAttribute(core, a));
        if (inCore.isPresent()) {
            return inCore;
        }
        for (Extension extension : extensions) {
            Optional<AttributeDefinition> found = extension.schema().attribute(path.attribute());
            if (found.isPresent()) {
                return Optional.of(new ResolvedAttribute(extension.schema(), found.get()));
            }
        }
        return Optional.empty();
    }

    /** A top-level attribute together with the schema that defines it. */
    public record ResolvedAttribute(Schema schema, AttributeDefinition definition) {
        public boolean inCore(ResourceType type) {
            return schema.id().equals(type.core().id());
        }
    }
}
