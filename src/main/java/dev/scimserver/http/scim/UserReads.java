package dev.scimserver.http.scim;

import dev.scimserver.directory.SearchResult;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimSchemas;
import io.javalin.http.Context;

/** GET of a user and lists of users: a user is small, so each is read whole and written as it goes. */
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
        String baseUrl = ScimApi.baseUrl(ctx);
        ctx.status(200).contentType(ScimApi.SCIM_CONTENT_TYPE)
                .result(ScimJson.write(out -> ResourceRenderer.writeUser(out, found, baseUrl, projection)));
    }

    @Override
    public void list(Context ctx, ListParameters request) {
        Projection projection = Projection.of(ScimSchemas.get().users(), request.attributes(),
                request.excludedAttributes());
        String baseUrl = ScimApi.baseUrl(ctx);
        SearchResult<UserView> result = users.search(ScimApi.actor(ctx), request.query());
        try (SpooledBody body = new SpooledBody()) {
            body.writeJson(out -> ListResponses.write(out, request.query(), result,
                    (o, user) -> ResourceRenderer.writeUser(o, user, baseUrl, projection)));
            body.send(ctx, 200);
        }
    }
}
