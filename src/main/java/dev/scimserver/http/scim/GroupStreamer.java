package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Group;
import dev.scimserver.directory.GroupMembers;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.Precondition;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimSchemas;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GET of one group and lists of groups, written as they are read: each group's own attributes are
 * rendered and projected as usual, and its members go from the database rows straight into the
 * body, so neither a group of 100,000 members nor a page of such groups exists in memory. The
 * output is the JSON {@link ResourceRenderer#group} renders. The body is spooled ({@link
 * SpooledBody}) and sent once the read is over, so the client's pace never holds a connection.
 */
final class GroupStreamer implements ResourceReads {
    /** A member with every sub-attribute, to learn which ones the projection lets through. */
    private static final MemberRef SAMPLE = new MemberRef(new UUID(0, 0), "sample");

    private final GroupService groups;

    GroupStreamer(GroupService groups) {
        this.groups = groups;
    }

    /** What a GET found: the group's version, and whether the client's copy is current. */
    private record Found(long version, boolean notModified) {
    }

    @Override
    public void get(Context ctx, String id, Projection projection) {
        String baseUrl = ScimApi.baseUrl(ctx);
        String ifNoneMatch = SentPreconditions.ifNoneMatch(ctx);
        Precondition ifMatch = EntityTags.ifMatch(ctx.header("If-Match"));
        try (SpooledBody body = new SpooledBody()) {
            Found found = groups.read(ScimApi.actor(ctx), id, projection.includes("members"), (group, members) -> {
                // RFC 9110 §13.1.1: a GET whose If-Match fails is 412, as a write's is.
                ifMatch.check(group.version());
                boolean notModified = EntityTags.noneMatchHits(ifNoneMatch, group.version());
                if (!notModified) {
                    body.writeJson(out -> write(out, group, members, projection, baseUrl));
                }
                return new Found(group.version(), notModified);
            });
            ctx.header("ETag", EntityTags.of(found.version()));
            if (found.notModified()) {
                ScimApi.withoutBody(ctx, 304);
                return;
            }
            body.send(ctx, 200);
        }
    }

    @Override
    public void list(Context ctx, ListParameters request) {
        Projection projection = Projection.of(ScimSchemas.get().groups(), request.attributes(),
                request.excludedAttributes());
        String baseUrl = ScimApi.baseUrl(ctx);
        try (SpooledBody body = new SpooledBody()) {
            groups.search(ScimApi.actor(ctx), request.query(), projection.includes("members"), (page, members) -> {
                body.writeJson(out -> ListResponses.write(out, request.query(), page,
                        (o, group) -> write(o, group, members, projection, baseUrl)));
                return null;
            });
            body.send(ctx, 200);
        }
    }

    /** One group, projected, with its members from {@code members} as they arrive. */
    static void write(JsonGenerator out, Group group, GroupMembers members, Projection projection, String baseUrl)
            throws IOException {
        boolean withMembers = projection.includes("members");
        ObjectNode shape = projection.apply(ResourceRenderer.group(
                new GroupService.GroupView(group, withMembers ? List.of(SAMPLE) : null), baseUrl));
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
            members.forEach(group.id(), member -> writeMember(out, member, keep, baseUrl));
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
            throw new UncheckedIOException("cannot spool a group's member", e);
        }
    }
}
