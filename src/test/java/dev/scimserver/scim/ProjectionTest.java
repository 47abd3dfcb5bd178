package dev.scimserver.scim;

import static dev.scimserver.scim.ScimFixtures.ENTERPRISE;
import static dev.scimserver.scim.ScimFixtures.GROUPS;
import static dev.scimserver.scim.ScimFixtures.JSON;
import static dev.scimserver.scim.ScimFixtures.TOOLJET;
import static dev.scimserver.scim.ScimFixtures.USERS;
import static dev.scimserver.scim.ScimFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7644 §3.4.2.5 attributes/excludedAttributes against the {@code returned} characteristic of RFC 7643 §7. */
class ProjectionTest {

    /** A rendered user; the password is there only to prove it never leaves. */
    static ObjectNode user() {
        return json("""
                {'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', '%1$s', '%2$s'],
                 'id': '2819c223', 'externalId': 'bjensen-ext',
                 'meta': {'resourceType': 'User', 'created': '2025-01-01T00:00:00Z', 'location': 'https://h/Users/2819c223'},
                 'userName': 'bjensen', 'password': 't1meMa$heen',
                 'name': {'givenName': 'Barbara', 'familyName': 'Jensen'},
                 'active': true,
                 'emails': [{'value': 'b@example.com', 'type': 'work', 'primary': true}, {'value': 'b@home.org', 'type': 'home'}],
                 '%1$s': {'employeeNumber': '701984', 'manager': {'value': 'm-1', 'displayName': 'Boss'}},
                 '%2$s': {'role': 'builder'}}""".formatted(ENTERPRISE, TOOLJET));
    }

    static ObjectNode project(String attributes, String excluded) {
        return Projection.of(USERS, attributes, excluded).apply(user());
    }

    static ObjectNode withoutPassword() {
        ObjectNode expected = user();
        expected.remove("password");
        return expected;
    }

    @Test
    @DisplayName("by default every attribute is returned except returned:never ones such as password")
    void defaultProjection() {
        assertThat(Projection.all(USERS).apply(user())).isEqualTo(withoutPassword());
        assertThat(project(null, null)).isEqualTo(withoutPassword());
        assertThat(project(" ", "")).isEqualTo(withoutPassword());
        assertThat(Projection.of(USERS, null, " ").isDefault()).isTrue();
        assertThat(Projection.of(USERS, "userName", null).isDefault()).isFalse();
        assertThat(Projection.of(USERS, null, "emails").isDefault()).isFalse();
    }

    @Test
    @DisplayName("attributes lists what to return; id (returned:always) and schemas come anyway")
    void attributesSelect() {
        assertThat(project("userName", null)).isEqualTo(json("""
                {'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', '%s', '%s'],
                 'id': '2819c223', 'userName': 'bjensen'}""".formatted(ENTERPRISE, TOOLJET)));
    }

    @Test
    @DisplayName("attributes names are case-insensitive and may be URN-qualified")
    void attributesCaseAndUrn() {
        ObjectNode out = project("USERNAME, " + ScimUrns.USER + ":Active, " + ENTERPRISE + ":employeeNumber", null);
        out.remove("schemas");
        assertThat(out).isEqualTo(json("{'id': '2819c223', 'userName': 'bjensen', 'active': true,"
                + " '" + ENTERPRISE + "': {'employeeNumber': '701984'}}"));
    }

    @Test
    @DisplayName("a sub-attribute in attributes returns only that part of its complex attribute")
    void attributesSubAttribute() {
        ObjectNode out = project("name.givenName,emails.value", null);
        out.remove("schemas");
        assertThat(out).isEqualTo(json("{'id': '2819c223', 'name': {'givenName': 'Barbara'},"
                + " 'emails': [{'value': 'b@example.com'}, {'value': 'b@home.org'}]}"));
    }

    @Test
    @DisplayName("an extension URN in attributes returns the whole extension")
    void attributesWholeExtension() {
        ObjectNode out = project(ENTERPRISE, null);
        out.remove("schemas");
        assertThat(out).isEqualTo(json("{'id': '2819c223', '" + ENTERPRISE + "': "
                + user().get(ENTERPRISE) + "}"));
    }

    @Test
    @DisplayName("an extension sub-attribute, URN-qualified or not, returns that part of it")
    void attributesExtensionSubAttribute() {
        ObjectNode expected = json("{'id': '2819c223', '" + ENTERPRISE + "': {'manager': {'value': 'm-1'}}}");
        for (String name : new String[] {ENTERPRISE + ":manager.value", "manager.value", "Manager.Value"}) {
            ObjectNode out = project(name, null);
            out.remove("schemas");
            assertThat(out).as(name).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("excludedAttributes drops what it names and keeps the rest")
    void excludedDrops() {
        ObjectNode expected = withoutPassword();
        expected.remove("emails");
        expected.remove("name");
        assertThat(project(null, "emails,NAME")).isEqualTo(expected);
    }

    @Test
    @DisplayName("an excluded sub-attribute drops just that part")
    void excludedSubAttribute() {
        ObjectNode out = project(null, "name.givenName,emails.value," + ENTERPRISE + ":manager.displayName");
        assertThat(out.get("name")).isEqualTo(json("{'familyName': 'Jensen'}"));
        assertThat(out.get("emails")).isEqualTo(JSON.valueToTree(List.of(
                json("{'type': 'work', 'primary': true}"), json("{'type': 'home'}"))));
        assertThat(out.get(ENTERPRISE)).isEqualTo(json("{'employeeNumber': '701984', 'manager': {'value': 'm-1'}}"));
        assertThat(out.get("userName").asText()).isEqualTo("bjensen");
    }

    @Test
    @DisplayName("excluding every attribute of an extension leaves no empty extension object")
    void excludedWholeExtension() {
        assertThat(project(null, ENTERPRISE).has(ENTERPRISE)).isFalse();
        assertThat(project(null, TOOLJET + ":role").has(TOOLJET)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"id", "ID", ScimUrns.USER + ":id"})
    @DisplayName("returned:always attributes cannot be excluded")
    void alwaysCannotBeExcluded(String name) {
        assertThat(project(null, name).get("id").asText()).isEqualTo("2819c223");
    }

    @ParameterizedTest(name = "attributes={0}")
    @ValueSource(strings = {"password", "userName,password", "PASSWORD"})
    @DisplayName("returned:never attributes are never shown, not even when asked for")
    void neverIsNeverShown(String attributes) {
        assertThat(project(attributes, null).has("password")).isFalse();
        assertThat(project(null, "userName").has("password")).isFalse();
    }

    @Test
    @DisplayName("names no schema defines are ignored")
    void unknownNamesIgnored() {
        assertThat(project(null, "nonsense,name.nonsense,urn:x:y:z")).isEqualTo(withoutPassword());
        ObjectNode out = project("nonsense,userName", null);
        out.remove("schemas");
        assertThat(out).isEqualTo(json("{'id': '2819c223', 'userName': 'bjensen'}"));
    }

    @Test
    @DisplayName("includes(\"members\") tells the group store not to load members excluded by Entra")
    void includesMembers() {
        assertThat(Projection.of(GROUPS, null, "members").includes("members")).isFalse();
        assertThat(Projection.of(GROUPS, null, "Members").includes("members")).isFalse();
        assertThat(Projection.of(GROUPS, "displayName", null).includes("members")).isFalse();
        assertThat(Projection.of(GROUPS, null, null).includes("members")).isTrue();
        assertThat(Projection.of(GROUPS, "members", null).includes("members")).isTrue();
        assertThat(Projection.of(GROUPS, "members.value", null).includes("members")).isTrue();
        assertThat(Projection.of(GROUPS, null, "members.display").includes("members")).isTrue();
        assertThat(Projection.of(GROUPS, null, "members,id").includes("id")).isTrue();
        assertThat(Projection.all(GROUPS).includes("nonsense")).isFalse();
    }

    @Test
    @DisplayName("a group read with excludedAttributes=members has no members in its body")
    void groupWithoutMembers() {
        ObjectNode group = json("{'schemas': ['urn:ietf:params:scim:schemas:core:2.0:Group'], 'id': 'g1',"
                + " 'displayName': 'Tour Guides', 'members': [{'value': 'u1', 'display': 'Babs'}]}");
        ObjectNode out = Projection.of(GROUPS, null, "members").apply(group);
        group.remove("members");
        assertThat(out).isEqualTo(group);
    }

    @Test
    @DisplayName("the projection does not change the resource it is applied to")
    void inputUnchanged() {
        ObjectNode input = user();
        Projection.of(USERS, "name.givenName", null).apply(input);
        Projection.of(USERS, null, "emails.value").apply(input);
        assertThat(input).isEqualTo(user());
    }
}
