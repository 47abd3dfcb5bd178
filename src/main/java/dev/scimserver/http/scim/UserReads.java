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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** GET of a user and lists of users: a user is small, so each is read whole and written as it goes. */
final class UserReads implements ResourceReads {
    /**
     * The pages of an index walk read ahead of the one answered: two, so that while PostgreSQL reads
     * one the other is written, each on a core of its own.
     */
    private static final int INDEX_PAGES_AHEAD = 2;
    private final UserService users;
    private final PageReadAhead readAhead;

    UserReads(UserService users, PageReadAhead readAhead) {
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
     * after its first, the pages after each one answered are read ahead ({@link PageReadAhead}): a
     * cursor walk shows itself by its cursor and has its next page read, a walk by startIndex (Okta's
     * import) by asking for the page that follows one answered, and has the next {@value
     * #INDEX_PAGES_AHEAD} read. Other index pages, every lookup by filter among them, are read
     * and written as asked.
     */
    @Override
    public void list(Context ctx, ListParameters request) {
        String baseUrl = ScimApi.baseUrl(ctx);
        SearchQuery query = request.query();
        Actor actor = ScimApi.actor(ctx);
        PageReadAhead.Key key = new PageReadAhead.Key(actor.workspaceId(), baseUrl, request);
        boolean walking = query.cursorPaging() ? !query.cursor().isEmpty()
                : query.startIndex() > 1 && readAhead.expected(key);
        if (!query.cursorPaging() && !walking) {
            ListResponses.ResourceWriter<UserView> user = writer(request, baseUrl);
            try (SpooledBody body = new SpooledBody()) {
                SearchResult<UserView> result = users.search(actor, query);
                body.writeJson(out -> ListResponses.write(out, query, result, user));
                for (ListParameters next : following(request, result, result.items().size(), 1)) {
                    readAhead.expect(new PageReadAhead.Key(key.workspaceId(), baseUrl, next));
                }
                body.send(ctx, 200);
            }
            return;
        }
        Optional<PageReadAhead.Page> ahead = walking
                ? readAhead.take(key, held -> users.unchangedSince(actor, held.snapshot())) : Optional.empty();
        PageReadAhead.Page page = ahead.orElseGet(() -> page(actor, key));
        try (SpooledBody body = page.body()) {
            for (ListParameters following : walking ? page.ahead() : List.<ListParameters>of()) {
                PageReadAhead.Key next = new PageReadAhead.Key(key.workspaceId(), baseUrl, following);
                if (!query.cursorPaging()) {
                    readAhead.expect(next);
                }
                readAhead.start(next, () -> page(actor, next));
            }
            body.send(ctx, 200);
        }
    }

    /**
     * The page of {@code key}, read as of a snapshot and written whole; the caller closes its body. An
     * index page's users come once the whole page is read, so they are written on this thread; a
     * cursor page's on a second one while its rows arrive.
     */
    private PageReadAhead.Page page(Actor actor, PageReadAhead.Key key) {
        ListParameters request = key.request();
        SearchQuery query = request.query();
        ListResponses.ResourceWriter<UserView> user = writer(request, key.baseUrl());
        SpooledBody body = new SpooledBody();
        try {
            if (!query.cursorPaging()) {
                List<UserView> found = new ArrayList<>();
                SearchResultAsOf<UserView> read = users.searchAsOf(actor, query, found::add);
                SearchResult<UserView> result = new SearchResult<>(read.result().totalResults(), found, null, null);
                body.writeJson(out -> ListResponses.write(out, query, result, user));
                return new PageReadAhead.Page(body, read.snapshot(), following(request, result, found.size(),
                        INDEX_PAGES_AHEAD));
            }
            try (SpooledBody resources = new SpooledBody();
                 ConcurrentResources<UserView> written = new ConcurrentResources<>(resources, user)) {
                SearchResultAsOf<UserView> read = users.searchAsOf(actor, query, written::add);
                int itemsPerPage = written.finish();
                SearchResult<UserView> result = read.result();
                body.writeJson(out -> ListResponses.write(out, query, result, itemsPerPage, resources, body));
                return new PageReadAhead.Page(body, read.snapshot(), following(request, result, itemsPerPage, 1));
            }
        } catch (RuntimeException | Error e) {
            body.close();
            throw e;
        }
    }

    /**
     * The requests for the pages after one that held {@code items} of {@code result}, nearest first:
     * of a cursor walk the next page alone (its cursor is known once this page is read), of an index
     * walk at most {@code pages}, each full page of the total after this one.
     */
    private static List<ListParameters> following(ListParameters request, SearchResult<?> result, int items,
                                                  int pages) {
        SearchQuery query = request.query();
        if (query.cursorPaging()) {
            return result.nextCursor() == null ? List.of() : List.of(request.at(result.nextCursor()));
        }
        if (items == 0 || items < query.count()) {
            // A page that is not full ends its list.
            return List.of();
        }
        List<ListParameters> following = new ArrayList<>();
        for (long from = (long) query.startIndex() + items; following.size() < pages
                && from - 1 < result.totalResults() && from <= Integer.MAX_VALUE; from += items) {
            following.add(request.atIndex((int) from));
        }
        return following;
    }

    private static ListResponses.ResourceWriter<UserView> writer(ListParameters request, String baseUrl) {
        Projection projection = Projection.of(ScimSchemas.get().users(), request.attributes(),
                request.excludedAttributes());
        Locations at = Locations.of(baseUrl);
        return (out, found) -> ResourceRenderer.writeUser(out, found, at, projection);
    }
}
