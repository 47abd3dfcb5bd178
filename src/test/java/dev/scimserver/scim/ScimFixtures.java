package dev.scimserver.scim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * The schemas, sample user and PATCH shorthand the protocol tests share. JSON here takes single
 * quotes, so that the double-quoted filter values of value paths read as they do on the wire.
 */
final class ScimFixtures {
    static final String ENTERPRISE = ScimUrns.ENTERPRISE_USER;
    static final String TOOLJET = ScimUrns.TOOLJET_USER;
    static final ResourceType USERS = ScimSchemas.get().users();
    static final ResourceType GROUPS = ScimSchemas.get().groups();
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    /** A user as the directory hands it to the engine: canonical, no id or meta. */
    static ObjectNode user() {
        return json("""
                {'userName': 'bjensen',
                 'name': {'givenName': 'Barbara', 'familyName': 'Jensen'},
                 'active': true,
                 'title': 'Tour Guide',
                 'emails': [{'value': 'bjensen@example.com', 'type': 'work', 'primary': true},
                            {'value': 'babs@jensen.org', 'type': 'home'}],
                 '%s': {'employeeNumber': '701984', 'manager': {'value': '26118915'}},
                 '%s': {'role': 'builder'}}""".formatted(ENTERPRISE, TOOLJET));
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id of the resource every fixture patches. */
    static final String ID = "2819c223-7f76-453a-919d-413861904646";

    /** Parses operations the way the HTTP layer does, from a PatchOp body. */
    static List<PatchOperation> ops(String... operations) {
        return PatchOperation.parseRequest(json("{'schemas': ['" + ScimUrns.PATCH_OP + "'], 'Operations': ["
                + String.join(",", operations) + "]}"));
    }

    static ObjectNode patch(ObjectNode resource, String... operations) {
        return PatchEngine.apply(USERS, ID, resource, ops(operations));
    }

    static ObjectNode patchGroup(ObjectNode resource, String... operations) {
        return PatchEngine.apply(GROUPS, ID, resource, ops(operations));
    }

    private ScimFixtures() {
    }
}
