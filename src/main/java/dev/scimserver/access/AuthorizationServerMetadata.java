package dev.scimserver.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The authorization server metadata of RFC 8414 §2, served at
 * {@link AuthorizationServerUrls#METADATA_PATH}: what the server really does, no more. No
 * authorization endpoint, so {@code response_types_supported} is empty.
 */
public final class AuthorizationServerMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthorizationServerMetadata() {
    }

    /** The metadata document, {@code application/json}. */
    public static String json(AuthorizationServerUrls urls) {
        ObjectNode metadata = JSON.createObjectNode()
                .put("issuer", urls.issuer())
                .put("token_endpoint", urls.tokenEndpoint())
                .put("jwks_uri", urls.jwksUri());
        ArrayNode authMethods = metadata.putArray("token_endpoint_auth_methods_supported");
        for (AuthenticatedClient.Method method : AuthenticatedClient.Method.values()) {
            authMethods.add(method.registeredName());
        }
        metadata.putArray("grant_types_supported").add(ClientCredentialsGrant.GRANT_TYPE);
        metadata.putArray("response_types_supported");
        metadata.putArray("scopes_supported").add(ClientCredentialsGrant.SCOPE);
        return metadata.toString();
    }
}
