package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimSchemas;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** GET of a user and lists of users: a user is small, so each is read whole, rendered and projected. */
final class UserReads implements ResourceReads {
    private final UserService users;

    UserReads(UserService users) {
        this.users = users;
    }

    @Override
    public void get(Context ctx, String id, Projection projection) {
        UserView found = users.get(ScimApi.actor(ctx), id);
        long version = found.member().version();
        ctx.header("ETag", EntityTags.of(version));
        if (EntityTags.noneMatchHits(ctx.header("If-None-Match"), version)) {
            ctx.status(304);
            return;
        }
        ScimApi.write(ctx, 200, projection.apply(ResourceRenderer.user(found, ScimApi.baseUrl(ctx))));
    }

    @Override
    public void list(Context ctx, ListParameters request) {
        Projection projection = Projection.of(ScimSchemas.get().users(), request.attributes(),
                request.excludedAttributes());
        String baseUrl = ScimApi.baseUrl(ctx);
        SearchResult<UserView> result = users.search(ScimApi.actor(ctx), request.query());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(body)) {
            ListResponses.write(out, request.query(), result,
                    (o, user) -> ScimJson.MAPPER.writeTree(o, projection.apply(ResourceRenderer.user(user, baseUrl))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a list of users", e);
        }
        ctx.status(200).contentType(ScimApi.SCIM_CONTENT_TYPE).result(body.toByteArray());
    }
}
