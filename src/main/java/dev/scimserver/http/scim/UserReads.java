package dev.scimserver.http.scim;

import dev.scimserver.directory.SearchQuery;
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

    /**
     * A cursor page, what an export walks, is written while it is read ({@link ConcurrentResources}):
     * its users are written on a second thread as their rows arrive. Other pages are read, then written.
     */
    @Override
    public void list(Context ctx, ListParameters request) {
        Projection projection = Projection.of(ScimSchemas.get().users(), request.attributes(),
                request.excludedAttributes());
        String baseUrl = ScimApi.baseUrl(ctx);
        ListResponses.ResourceWriter<UserView> user = (out, found) -> ResourceRenderer.writeUser(out, found, baseUrl,
                projection);
        SearchQuery query = request.query();
        try (SpooledBody body = new SpooledBody()) {
            if (query.cursorPaging()) {
                try (SpooledBody resources = new SpooledBody();
                     ConcurrentResources<UserView> written = new ConcurrentResources<>(resources, user)) {
                    SearchResult<UserView> result = users.search(ScimApi.actor(ctx), query, written::add);
                    int itemsPerPage = written.finish();
                    body.writeJson(out -> ListResponses.write(out, query, result, itemsPerPage, resources, body));
                }
            } else {
                SearchResult<UserView> result = users.search(ScimApi.actor(ctx), query);
                body.writeJson(out -> ListResponses.write(out, query, result, user));
            }
            body.send(ctx, 200);
        }
    }
}
