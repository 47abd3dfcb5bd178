package dev.scimserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;

/** The RFC 7644 §3 endpoints of one resource type: create, read, list, replace, patch, delete. */
final class ResourceEndpoints {
    private final ResourceOperations operations;
    /** Writes a GET as it reads it; null for a type whose resources are always small. */
    private final GroupStreamer streamer;

    ResourceEndpoints(ResourceOperations operations) {
        this(operations, null);
    }

    ResourceEndpoints(ResourceOperations operations, GroupStreamer streamer) {
        this.operations = operations;
        this.streamer = streamer;
    }

    void register(RoutesConfig routes, String path) {
        routes.get(path, this::list);
        routes.post(path, this::create);
        routes.get(path + "/{id}", this::get);
        routes.put(path + "/{id}", this::replace);
        routes.patch(path + "/{id}", this::patch);
        routes.delete(path + "/{id}", this::delete);
        routes.post(path + "/.search", this::search);
    }

    private Projection projection(Context ctx) {
        return Projection.of(operations.type(), ctx.queryParam("attributes"), ctx.queryParam("excludedAttributes"));
    }

    private void list(Context ctx) {
        writeList(ctx, ListParameters.fromQueryString(ctx));
    }

    /** RFC 7644 §3.4.3: POST {@code .search} is a GET list with its parameters in a SearchRequest body. */
    private void search(Context ctx) {
        writeList(ctx, ListParameters.fromSearchRequest(ScimJson.parse(body(ctx))));
    }

    private void writeList(Context ctx, ListParameters request) {
        Projection projection = Projection.of(operations.type(), request.attributes(), request.excludedAttributes());
        SearchResult<ObjectNode> result = operations.search(request.query(), projection, ScimApi.baseUrl(ctx))
                .map(r -> projection.apply(r.resource()));
        ScimApi.write(ctx, 200, ListResponses.body(request.query(), result));
    }

    private void create(Context ctx) {
        Projection projection = projection(ctx);
        ScimResponse created = operations.create(ScimJson.parse(body(ctx)), projection, ScimApi.baseUrl(ctx));
        ctx.header("Location", created.location());
        writeResource(ctx, 201, created, projection);
    }

    private void get(Context ctx) {
        Projection projection = projection(ctx);
        if (streamer != null) {
            streamer.get(ctx, ctx.pathParam("id"), projection, ScimApi.baseUrl(ctx));
            return;
        }
        ScimResponse found = operations.get(ctx.pathParam("id"), projection, ScimApi.baseUrl(ctx));
        if (EntityTags.noneMatchHits(ctx.header("If-None-Match"), found.version())) {
            ctx.header("ETag", EntityTags.of(found.version()));
            ctx.status(304);
            return;
        }
        writeResource(ctx, 200, found, projection);
    }

    private void replace(Context ctx) {
        Projection projection = projection(ctx);
        ScimResponse replaced = operations.replace(ctx.pathParam("id"), ScimJson.parse(body(ctx)),
                EntityTags.ifMatch(ctx.header("If-Match")), projection, ScimApi.baseUrl(ctx));
        writeResource(ctx, 200, replaced, projection);
    }

    private void patch(Context ctx) {
        Projection projection = projection(ctx);
        List<PatchOperation> ops = PatchOperation.parseRequest(ScimJson.parse(body(ctx)));
        ScimResponse patched = operations.patch(ctx.pathParam("id"), ops, EntityTags.ifMatch(ctx.header("If-Match")),
                projection, ScimApi.baseUrl(ctx));
        if (operations.patchAnswersNoContent() && projection.isDefault()) {
            ctx.header("ETag", EntityTags.of(patched.version()));
            ctx.status(204);
            return;
        }
        writeResource(ctx, 200, patched, projection);
    }

    private void delete(Context ctx) {
        operations.delete(ctx.pathParam("id"), EntityTags.ifMatch(ctx.header("If-Match")));
        ctx.status(204);
    }

    private static void writeResource(Context ctx, int status, ScimResponse response, Projection projection) {
        ctx.header("ETag", EntityTags.of(response.version()));
        ScimApi.write(ctx, status, projection.apply(response.resource()));
    }

    /** The most of a refused body read and dropped, so that the client, still sending, reads the 413. */
    private static final long DISCARDED_AT_MOST = 8L * 1024 * 1024;

    /** The body, refusing one over the limit: by its declared length before reading, else by what came. */
    static byte[] body(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > ScimApi.MAX_BODY_BYTES) {
            discard(ctx);
        }
        byte[] body = declared > ScimApi.MAX_BODY_BYTES ? null : ctx.bodyAsBytes();
        if (body == null || body.length > ScimApi.MAX_BODY_BYTES) {
            throw ScimException.tooLarge("the request body is larger than " + ScimApi.MAX_BODY_BYTES / 1024 + " KiB");
        }
        return body;
    }

    /**
     * Reads and drops a refused body, up to {@link #DISCARDED_AT_MOST}: a server that answers while
     * the request's bytes are still arriving, and then closes, makes the kernel reset the connection,
     * and the reset can reach the client before the 413 it was sent. Beyond the bound the connection
     * is closed anyway: a client sending more has to cope with the reset.
     */
    private static void discard(Context ctx) {
        try {
            ctx.req().getInputStream().skipNBytes(Math.min(ctx.contentLength(), DISCARDED_AT_MOST));
        } catch (java.io.IOException e) {
            // The client went away or sent less than it declared: nothing left to protect.
        }
    }
}
