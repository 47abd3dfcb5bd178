package dev.scimserver.http.scim;

import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.EnvironmentCredentials;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Cursors;
import dev.scimserver.scim.BulkRequest;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimSchemas;
import dev.scimserver.scim.ScimUrns;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.util.List;

/**
 * ServiceProviderConfig, ResourceTypes and Schemas (RFC 7644 §4). What they advertise is what the
 * server does: change one only with the code behind it.
 */
final class DiscoveryEndpoints {
    private final EnvironmentCredentials authenticator;

    DiscoveryEndpoints(EnvironmentCredentials authenticator) {
        this.authenticator = authenticator;
    }

    void register(RoutesConfig routes, String base) {
        routes.get(base + "/ServiceProviderConfig", ctx -> answer(ctx, serviceProviderConfig(ctx)));
        routes.get(base + "/ResourceTypes", ctx -> answer(ctx,
                list(ScimSchemas.get().resourceTypes().stream().map(t -> resourceType(t, ctx)).toList())));
        routes.get(base + "/ResourceTypes/{id}", ctx -> answer(ctx, ScimSchemas.get().resourceTypes()
                .stream().filter(t -> t.id().equalsIgnoreCase(ctx.pathParam("id"))).findFirst()
                .map(t -> resourceType(t, ctx))
                .orElseThrow(() -> ScimException.notFound("no resource type "
                        + ClientText.abbreviate(ctx.pathParam("id"))))));
        routes.get(base + "/Schemas", ctx -> answer(ctx,
                list(ScimSchemas.get().documents().stream().map(d -> schema(d, ctx)).toList())));
        routes.get(base + "/Schemas/{id}", ctx -> answer(ctx, ScimSchemas.get()
                .document(ctx.pathParam("id")).map(d -> schema(d, ctx))
                .orElseThrow(() -> ScimException.notFound("no schema " + ClientText.abbreviate(ctx.pathParam("id"))))));
    }

    /**
     * The document, unless the request asks for a filter: these endpoints filter nothing, and RFC 7644
     * §4 has them answer 403 so that no client takes the whole list for what matched.
     */
    private static void answer(Context ctx, ObjectNode document) {
        if (ListParameters.single(ctx, "filter") != null) {
            throw ScimException.of(403, null, "the discovery endpoints do not filter (RFC 7644 section 4): "
                    + "ask without filter");
        }
        ScimApi.write(ctx, 200, document);
    }

    private ObjectNode serviceProviderConfig(Context ctx) {
        ObjectNode config = ScimApi.object();
        config.putArray("schemas").add(ScimUrns.SERVICE_PROVIDER_CONFIG);
        config.put("documentationUri", "https://datatracker.ietf.org/doc/html/rfc7644");
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", true).put("maxOperations", BulkRequest.MAX_OPERATIONS)
                .put("maxPayloadSize", BulkEndpoint.MAX_PAYLOAD_BYTES);
        config.putObject("filter").put("supported", true).put("maxResults", ListParameters.MAX_RESULTS);
        config.putObject("changePassword").put("supported", true);
        config.putObject("sort").put("supported", true);
        // RFC 9865 §4. Index paging stays the default, so clients written before cursors see no change.
        config.putObject("pagination").put("cursor", true).put("index", true).put("defaultPaginationMethod", "index")
                .put("defaultPageSize", ListParameters.DEFAULT_COUNT).put("maxPageSize", ListParameters.MAX_RESULTS)
                .put("cursorTimeout", Cursors.TIMEOUT_SECONDS);
        config.putObject("etag").put("supported", true);
        ArrayNode schemes = config.putArray("authenticationSchemes");
        if (authenticator.basicEnabled()) {
            schemes.addObject().put("type", "httpbasic").put("name", "HTTP Basic")
                    .put("description", "user and password from SCIM_BASIC_AUTH_USER and SCIM_BASIC_AUTH_PASS")
                    .put("specUri", "https://www.rfc-editor.org/info/rfc7617").put("primary", true);
        }
        // Workspaces' API tokens and OAuth access tokens are bearer tokens, whatever the environment sets.
        schemes.addObject().put("type", "oauthbearertoken").put("name", "Bearer token")
                .put("description", "a workspace's API token, an OAuth 2.0 access token from "
                        + AuthorizationServerUrls.TOKEN_PATH + " (client credentials)"
                        + (authenticator.tokenEnabled() ? ", or the static token from SCIM_HEADER_AUTH_TOKEN" : ""))
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750").put("primary", !authenticator.basicEnabled());
        config.set("meta", meta("ServiceProviderConfig", ScimApi.baseUrl(ctx) + "/ServiceProviderConfig"));
        return config;
    }

    private static ObjectNode resourceType(ResourceType type, Context ctx) {
        ObjectNode out = ScimApi.object();
        out.putArray("schemas").add(ScimUrns.RESOURCE_TYPE);
        out.put("id", type.id()).put("name", type.name()).put("endpoint", type.endpoint())
                .put("description", type.description()).put("schema", type.core().id());
        ArrayNode extensions = out.putArray("schemaExtensions");
        type.extensions().forEach(e -> extensions.addObject().put("schema", e.schema().id()).put("required", e.required()));
        out.set("meta", meta("ResourceType", ScimApi.baseUrl(ctx) + "/ResourceTypes/" + type.id()));
        return out;
    }

    private static ObjectNode schema(ObjectNode document, Context ctx) {
        ObjectNode out = ScimApi.object();
        out.putArray("schemas").add(ScimUrns.SCHEMA);
        out.setAll(document);
        out.set("meta", meta("Schema", ScimApi.baseUrl(ctx) + "/Schemas/" + document.path("id").asText()));
        return out;
    }

    private static ObjectNode meta(String resourceType, String location) {
        ObjectNode meta = ScimApi.object();
        meta.put("resourceType", resourceType).put("location", location);
        return meta;
    }

    private static ObjectNode list(List<ObjectNode> resources) {
        ObjectNode body = ScimApi.object();
        body.putArray("schemas").add(ScimUrns.LIST_RESPONSE);
        body.put("totalResults", resources.size());
        body.put("itemsPerPage", resources.size());
        body.put("startIndex", 1);
        ArrayNode array = body.putArray("Resources");
        resources.forEach(array::add);
        return body;
    }
}
