package dev.scimserver.http.scim;

import dev.scimserver.directory.Precondition;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.MethodNotAllowedResponse;

import java.util.List;
import java.util.Map;

/** The RFC 7644 §3 endpoints of one resource type: create, read, list, replace, patch, delete. */
final class ResourceEndpoints {
    private final ResourceOperations operations;
    private final ResourceReads reads;

    ResourceEndpoints(ResourceOperations operations, ResourceReads reads) {
        this.operations = operations;
        this.reads = reads;
    }

    void register(RoutesConfig routes, String path) {
        routes.get(path, this::list);
        routes.post(path, this::create);
        // Before the routes of an id, which would take ".search" for one and answer 404.
        for (HandlerType other : List.of(HandlerType.GET, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            routes.addHttpHandler(other, path + "/.search", ctx -> {
                throw new MethodNotAllowedResponse("", Map.of("allowed", "POST"));
            });
        }
        routes.get(path + "/{id}", this::get);
        routes.put(path + "/{id}", this::replace);
        routes.patch(path + "/{id}", this::patch);
        routes.delete(path + "/{id}", this::delete);
        routes.post(path + "/.search", this::search);
    }

    private Projection projection(Context ctx) {
        return Projection.of(operations.type(), ListParameters.single(ctx, "attributes"),
                ListParameters.single(ctx, "excludedAttributes"));
    }

    private void list(Context ctx) {
        reads.list(ctx, ListParameters.fromQueryString(ctx));
    }

    /** RFC 7644 §3.4.3: POST {@code .search} is a GET list with its parameters in a SearchRequest body. */
    private void search(Context ctx) {
        reads.list(ctx, ListParameters.fromSearchRequest(ScimJson.parse(body(ctx))));
    }

    private void create(Context ctx) {
        Projection projection = projection(ctx);
        ScimResponse created = operations.create(ScimApi.actor(ctx), ScimJson.parse(body(ctx)), projection,
                ScimApi.baseUrl(ctx));
        ctx.header("Location", created.location());
        writeResource(ctx, 201, created, projection);
    }

    private void get(Context ctx) {
        reads.get(ctx, ctx.pathParam("id"), projection(ctx));
    }

    private void replace(Context ctx) {
        Projection projection = projection(ctx);
        ScimResponse replaced = operations.replace(ScimApi.actor(ctx), ctx.pathParam("id"), ScimJson.parse(body(ctx)),
                preconditions(ctx), projection, ScimApi.baseUrl(ctx));
        writeResource(ctx, 200, replaced, projection);
    }

    private void patch(Context ctx) {
        Projection projection = projection(ctx);
        List<PatchOperation> ops = PatchOperation.parseRequest(ScimJson.parse(body(ctx)));
        ScimResponse patched = operations.patch(ScimApi.actor(ctx), ctx.pathParam("id"), ops,
                preconditions(ctx), projection, ScimApi.baseUrl(ctx));
        if (operations.patchAnswersNoContent() && projection.isDefault()) {
            ctx.header("ETag", EntityTags.of(patched.version()));
            ScimApi.withoutBody(ctx, 204);
            return;
        }
        writeResource(ctx, 200, patched, projection);
    }

    /** A write's {@code If-Match} and {@code If-None-Match}: either failing is 412, checked under the row lock. */
    private static Precondition preconditions(Context ctx) {
        return EntityTags.of(ctx.header("If-Match"), SentPreconditions.ifNoneMatch(ctx));
    }

    private void delete(Context ctx) {
        operations.delete(ScimApi.actor(ctx), ctx.pathParam("id"), preconditions(ctx));
        ScimApi.withoutBody(ctx, 204);
    }

    private static void writeResource(Context ctx, int status, ScimResponse response, Projection projection) {
        ctx.header("ETag", EntityTags.of(response.version()));
        ctx.status(status).contentType(ScimApi.SCIM_CONTENT_TYPE)
                .result(ScimJson.write(out -> response.body().write(out, projection)));
    }

    /** The body, refusing one over the limit: by its declared length before reading, else by what came. */
    static byte[] body(Context ctx) {
        byte[] body = RequestBodies.declaredOver(ctx, ScimApi.MAX_BODY_BYTES) ? null : RequestBodies.all(ctx);
        if (body == null || body.length > ScimApi.MAX_BODY_BYTES) {
            throw ScimException.tooLarge("the request body is larger than " + ScimApi.MAX_BODY_BYTES / 1024 + " KiB");
        }
        return body;
    }
}
