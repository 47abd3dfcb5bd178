package dev.scimserver.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.scim.Projection;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GET of one group written as it is read: the group's own attributes are rendered and projected as
 * usual, and its members go from the database rows straight into the response, so a group of
 * 100,000 members never exists in memory. The output is the same JSON the ordinary path renders.
 * The transaction (and its connection) stays open while the client reads.
 */
final class GroupStreamer {
    /** A member with every sub-attribute, to learn which ones the projection lets through. */
    private static final MemberRef SAMPLE = new MemberRef(new UUID(0, 0), "sample");

    private final GroupService groups;

    GroupStreamer(GroupService groups) {
        this.groups = groups;
    }

    void get(Context ctx, String id, Projection projection, String baseUrl) {
        boolean withMembers = projection.includes("members");
        groups.read(id, (group, members) -> {
            if (EntityTags.noneMatchHits(ctx.header("If-None-Match"), group.version())) {
                ctx.header("ETag", EntityTags.of(group.version()));
                ctx.status(304);
                return;
            }
            ObjectNode shape = projection.apply(ResourceRenderer.group(
                    new GroupService.GroupView(group, withMembers ? List.of(SAMPLE) : null), baseUrl));
            ctx.header("ETag", EntityTags.of(group.version()));
            ctx.status(200).contentType(ScimApi.SCIM_CONTENT_TYPE);
            try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(ctx.outputStream())) {
                write(out, shape, members, baseUrl);
            } catch (IOException e) {
                throw new UncheckedIOException("the client stopped reading the group", e);
            }
        });
    }

    private static void write(JsonGenerator out, ObjectNode shape, java.util.function.Consumer<
            java.util.function.Consumer<MemberRef>> members, String baseUrl) throws IOException {
        out.writeStartObject();
        for (var it = shape.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.writeFieldName(field.getKey());
            if (!field.getKey().equals("members")) {
                ScimJson.MAPPER.writeTree(out, field.getValue());
                continue;
            }
            List<String> keep = new ArrayList<>();
            field.getValue().path(0).fieldNames().forEachRemaining(keep::add);
            out.writeStartArray();
            members.accept(member -> writeMember(out, member, keep, baseUrl));
            out.writeEndArray();
        }
        out.writeEndObject();
    }

    /** One member as {@link ResourceRenderer#group} renders it, with only the kept sub-attributes. */
    private static void writeMember(JsonGenerator out, MemberRef member, List<String> keep, String baseUrl) {
        try {
            out.writeStartObject();
            for (String name : keep) {
                switch (name) {
                    case "value" -> out.writeStringField(name, member.id().toString());
                    case "$ref" -> out.writeStringField(name, baseUrl + "/Users/" + member.id());
                    case "display" -> out.writeStringField(name, member.display());
                    case "type" -> out.writeStringField(name, "User");
                    default -> throw new IllegalStateException("a group member has no sub-attribute " + name);
                }
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("the client stopped reading the group", e);
        }
    }
}
