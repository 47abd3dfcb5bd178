package dev.scimserver.http.scim;

import dev.scimserver.directory.Actor;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.directory.SearchResultAsOf;
import dev.scimserver.directory.UserService;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimSchemas;
import io.javalin.http.Context;

/** GET of a user and lists of users: a user is small, so each is read whole and written as it goes. */
final class UserReads implements ResourceReads {
    private final UserService users;
    private final CursorReadAhead readAhead;

    UserReads(UserService users, CursorReadAhead readAhead) {
        this.users = users;
        this.readAhead = readAhead;
    }

    @Override
    public void get(Context ctx, String id, Projection projection) {
        UserView found = users.get(ScimApi.actor(ctx), id);
        long version = found.member().version();
        // RFC 9110 §13.1.1: a GET whose If-Match fails is 412, as a write's is. The 412 carries no ETag:
        // Javalin would make it a 304 where If-None-Match names it too (JettyHardening.RequestGate).
        EntityTags.ifMatch(ctx.header("If-Match")).check(version);
        ctx.header("ETag", EntityTags.of(version));
        if (EntityTags.noneMatchHits(SentPreconditions.ifNoneMatch(ctx), version)) {
            ScimApi.withoutBody(ctx, 304);
            return;
        }
        Locations at = Locations.of(ScimApi.baseUrl(ctx));
        ctx.status(200).contentType(ScimApi.SCIM_CONTENT_TYPE)
                .result(ScimJson.write(out -> ResourceRenderer.writeUser(out, found, at, projection)));
    }

    /**
     * A cursor page, what an export walks, is written while it is read ({@link ConcurrentResources}):
     * its users are written on a second thread as their rows arrive. Once a walk asks for a page
     * after the first, the page after it is read ahead ({@link CursorReadAhead}). Other pages are
     * read, then written.
     */
    @Override
    public void list(Context ctx, ListParameters request) {
        String baseUrl = ScimApi.baseUrl(ctx);
        SearchQuery query = request.query();
        if (query.cursorPaging()) {
            Actor actor = ScimApi.actor(ctx);
            CursorReadAhead.Key key = new CursorReadAhead.Key(actor.workspaceId(), baseUrl, request);
            CursorReadAhead.Page page = readAhead.take(key, ahead -> users.unchangedSince(actor, ahead.snapshot()))
                    .orElseGet(() -> cursorPage(actor, key));
            try (SpooledBody body = page.body()) {
                if (page.nextCursor() != null && !query.cursor().isEmpty()) {
                    CursorReadAhead.Key next = new CursorReadAhead.Key(key.workspaceId(), baseUrl,
                            request.at(page.nextCursor()));
                    readAhead.start(next, () -> cursorPage(actor, next));
                }
                body.send(ctx, 200);
            }
            return;
        }
        ListResponses.ResourceWriter<UserView> user = writer(request, baseUrl);
        try (SpooledBody body = new SpooledBody()) {
            SearchResult<UserView> result = users.search(ScimApi.actor(ctx), query);
            body.writeJson(out -> ListResponses.write(out, query, result, user));
            body.send(ctx, 200);
        }
    }

    /** The cursor page of {@code key}, read as of a snapshot and written whole; the caller closes its body. */
    private CursorReadAhead.Page cursorPage(Actor actor, CursorReadAhead.Key key) {
        SearchQuery query = key.request().query();
        SpooledBody body = new SpooledBody();
        try (SpooledBody resources = new SpooledBody();
             ConcurrentResources<UserView> written = new ConcurrentResources<>(resources,
                     writer(key.request(), key.baseUrl()))) {
            SearchResultAsOf<UserView> read = users.searchAsOf(actor, query, written::add);
            int itemsPerPage = written.finish();
            SearchResult<UserView> result = read.result();
            body.writeJson(out -> ListResponses.write(out, query, result, itemsPerPage, resources, body));
            return new CursorReadAhead.Page(body, read.snapshot(), result.nextCursor());
        } catch (RuntimeException | Error e) {
            body.close();
            throw e;
        }
    }

    private static ListResponses.ResourceWriter<UserView> writer(ListParameters request, String baseUrl) {
        Projection projection = Projection.of(ScimSchemas.get().users(), request.attributes(),
                request.excludedAttributes());
        Locations at = Locations.of(baseUrl);
        return (out, found) -> ResourceRenderer.writeUser(out, found, at, projection);
    }
}
