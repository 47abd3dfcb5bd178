package dev.scimserver.directory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.scim.PatchEngine;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.ScimUrns;
import dev.scimserver.scim.ScimSchemas;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password a PATCH sets, read from its operations before it runs, is the one the PATCH engine
 * leaves when it runs: the hash made beforehand is the hash of what the PATCH means.
 */
class PatchedPasswordTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            {"op":"replace","path":"password","value":"s1"}                                               | s1
            {"op":"add","path":"password","value":"s1"}                                                   | s1
            {"op":"Replace","path":"PASSWORD","value":"s1"}                                               | s1
            {"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:password","value":"s1"}    | s1
            {"op":"replace","value":{"title":"t","password":"s1"}}                                        | s1
            {"op":"add","value":{"Password":"s1"}}                                                        | s1
            {"op":"replace","value":{"urn:ietf:params:scim:schemas:core:2.0:User:password":"s1"}}         | s1
            {"op":"replace","value":{"urn:ietf:params:scim:schemas:core:2.0:User":{"password":"s1"}}}     | s1
            {"op":"add","value":{"URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER":{"title":"t","Password":"s1"}}} | s1
            {"op":"replace","path":"password","value":12345}                                              | 12345
            {"op":"replace","path":"password","value":"s1"},{"op":"remove","path":"password"}              | none
            {"op":"replace","path":"password","value":"s1"},{"op":"replace","path":"password","value":"s2"} | s2
            {"op":"replace","path":"password","value":"s1"},{"op":"add","path":"password","value":""}      | s1
            {"op":"replace","path":"password","value":"s1"},{"op":"replace","path":"password","value":""}  | none
            {"op":"replace","path":"password","value":"s1"},{"op":"replace","path":"password","value":null} | none
            {"op":"replace","value":{"password":"s1"}},{"op":"replace","value":{"password":"s2"}}          | s2
            {"op":"remove","path":"password"}                                                             | none
            {"op":"replace","path":"title","value":"Engineer"}                                            | none
            {"op":"replace","value":{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"password":"x"}}} | none
            """)
    void theHashedPasswordIsTheOneThePatchLeaves(String operations, String expected) throws IOException {
        List<PatchOperation> patch = PatchOperation.parseRequest(JSON.readTree("{\"schemas\":[\"" + ScimUrns.PATCH_OP
                + "\"],\"Operations\":[" + operations + "]}"));
        ObjectNode user = JSON.createObjectNode().put("userName", "bjensen");
        String engine = UserAttributes.split(PatchEngine.apply(ScimSchemas.get().users(), "2819c223-7f76-453a-919d-413861904646", user, patch)).password;
        assertThat(engine).as("what the engine leaves").isEqualTo(expected);
        assertThat(PatchedPassword.of(patch)).as("what is hashed beforehand").isEqualTo(java.util.Optional.ofNullable(expected));
    }
}
