package dev.scimserver.http.scim;

import dev.scimserver.directory.ResourceSearch;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimSchemas;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code POST /.search} at the root (RFC 7644 §3.4.3): Users and Groups in one list. Each resource
 * carries meta.resourceType; attributes and excludedAttributes apply to each type by its schemas,
 * names a type does not define being ignored for it. Groups' members stream as in a list of groups.
 */
final class SearchEndpoints {
    private final ResourceSearch search;

    SearchEndpoints(ResourceSearch search) {
        this.search = search;
    }

    void register(RoutesConfig routes, String base) {
        routes.post(base + "/.search", this::search);
    }

    private void search(Context ctx) {
        ListParameters request = ListParameters.fromSearchRequest(ScimJson.parse(ResourceEndpoints.body(ctx)));
        Projection users = Projection.of(ScimSchemas.get().users(), request.attributes(), request.excludedAttributes());
        Projection groups = Projection.of(ScimSchemas.get().groups(), request.attributes(),
                request.excludedAttributes());
        String baseUrl = ScimApi.baseUrl(ctx);
        Locations at = Locations.of(baseUrl);
        try (SpooledBody body = new SpooledBody()) {
            search.search(ScimApi.actor(ctx), request.query(), groups.includes("members"), (page, members) -> {
                body.writeJson(out -> ListResponses.write(out, request.query(), page, (o, found) -> {
                    if (found.user() != null) {
                        ResourceRenderer.writeUser(o, found.user(), at, users);
                    } else {
                        GroupStreamer.write(o, found.group(), members, groups, baseUrl);
                    }
                }));
                return null;
            });
            body.send(ctx, 200);
        }
    }
}
