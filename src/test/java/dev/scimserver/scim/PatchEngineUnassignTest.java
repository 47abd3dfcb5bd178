package dev.scimserver.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.scimserver.scim.ScimFixtures.ENTERPRISE;
import static dev.scimserver.scim.ScimFixtures.json;
import static dev.scimserver.scim.ScimFixtures.patch;
import static dev.scimserver.scim.ScimFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Adding nothing, replacing by nothing, and values that lose their identity. */
class PatchEngineUnassignTest {

    @Test
    @DisplayName("add of an empty value changes nothing, on a sub-attribute and a value path alike")
    void addOfNothingIsNoChange() {
        ObjectNode before = user();
        assertThat(patch(before, "{'op':'add','path':'name.givenName','value':''}")).isEqualTo(before);
        assertThat(patch(before, "{'op':'add','path':'emails[type eq \"work\"].value','value':null}")).isEqualTo(before);
        assertThat(patch(before, "{'op':'add','path':'title','value':''}")).isEqualTo(before);
    }

    @Test
    @DisplayName("replace of a selected value by null unassigns that value")
    void replaceSelectedValueByNullRemovesIt() {
        ObjectNode after = patch(user(), "{'op':'replace','path':'emails[type eq \"work\"]','value':null}");
        assertThat(after.path("emails")).hasSize(1);
        assertThat(after.path("emails").get(0).path("type").asText()).isEqualTo("home");
    }

    @Test
    @DisplayName("an email whose address is cleared is no email at all")
    void emailWithoutValueLeavesTheList() {
        ObjectNode after = patch(user(), "{'op':'Replace','path':'emails[type eq \"work\"].value','value':''}");
        assertThat(after.path("emails")).hasSize(1);
        assertThat(after.path("emails").get(0).path("value").asText()).isEqualTo("babs@jensen.org");
    }

    @Test
    @DisplayName("a manager replaced by another id drops the old manager's $ref")
    void newManagerIdDropsTheOldReference() {
        ObjectNode withRef = user();
        ((ObjectNode) withRef.get(ENTERPRISE)).set("manager", json("{'value':'old','$ref':'../Users/old'}"));
        ObjectNode after = patch(withRef, "{'op':'Add','path':'" + ENTERPRISE + ":manager','value':'new'}");
        assertThat(after.path(ENTERPRISE).path("manager")).isEqualTo(json("{'value':'new'}"));
        ObjectNode sameManager = patch(withRef, "{'op':'replace','path':'" + ENTERPRISE + ":manager',"
                + "'value':{'value':'old'}}");
        assertThat(sameManager.path(ENTERPRISE).path("manager").path("$ref").asText()).isEqualTo("../Users/old");
    }
}
