package dev.scimserver.scim;

import static dev.scimserver.scim.ScimFixtures.ENTERPRISE;
import static dev.scimserver.scim.ScimFixtures.GROUPS;
import static dev.scimserver.scim.ScimFixtures.JSON;
import static dev.scimserver.scim.ScimFixtures.TOOLJET;
import static dev.scimserver.scim.ScimFixtures.USERS;
import static dev.scimserver.scim.ScimFixtures.json;
import static dev.scimserver.scim.ScimFixtures.ops;
import static dev.scimserver.scim.ScimFixtures.patch;
import static dev.scimserver.scim.ScimFixtures.patchGroup;
import static dev.scimserver.scim.ScimFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7644 §3.5.2 sentence by sentence, then the shapes Okta and Entra actually send
 * ({@code reference/idp-behaviour.md}). JSON in this file uses single quotes so that the
 * double-quoted filter values of value paths read as they do on the wire.
 */
class PatchEngineTest {
    static void assertRefused(ObjectNode resource, ScimType type, String... operations) {
        ObjectNode before = resource.deepCopy();
        assertThatThrownBy(() -> patch(resource, operations))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).contains(type);
                });
        assertThat(resource).as("input after a refused PATCH").isEqualTo(before);
    }

    static ObjectNode enterprise(JsonNode resource) {
        return (ObjectNode) resource.get(ENTERPRISE);
    }

    private static JsonNode oneValue(String value) {
        return json("{'list': [" + value + "]}").get("list");
    }

    @Nested
    @DisplayName("§3.5.2 PATCH in general")
    class General {
        @Test
        @DisplayName("operations apply in order, each one's result being the next one's target")
        void operationsApplyInSequence() {
            ObjectNode result = patch(user(),
                    "{'op': 'add', 'path': 'nickName', 'value': 'Babs'}",
                    "{'op': 'replace', 'path': 'nickName', 'value': 'B'}",
                    "{'op': 'replace', 'path': 'title', 'value': 'Chief'}",
                    "{'op': 'remove', 'path': 'title'}");
            assertThat(result.get("nickName").asText()).isEqualTo("B");
            assertThat(result.has("title")).isFalse();
        }

        @Test
        @DisplayName("a path-less value may hold core attributes under the core schema's URN, as an extension's")
        void theCoreSchemasUrnHoldsCoreAttributes() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'value': {'urn:ietf:params:scim:schemas:core:2.0:User':"
                    + " {'title': 'Chief', 'name': {'givenName': 'Barbara'}}}}");
            assertThat(result.get("title").asText()).isEqualTo("Chief");
            assertThat(result.at("/name/givenName").asText()).isEqualTo("Barbara");
            assertRefused(user(), ScimType.INVALID_VALUE,
                    "{'op': 'replace', 'value': {'urn:ietf:params:scim:schemas:core:2.0:User': 'Chief'}}");
        }

        @Test
        @DisplayName("a PATCH is atomic: when one operation fails the resource is as it was, the earlier ones undone")
        void aFailingOperationLeavesTheInputUntouched() {
            ObjectNode input = user();
            assertRefused(input, ScimType.INVALID_VALUE,
                    "{'op': 'replace', 'path': 'title', 'value': 'Chief'}",
                    "{'op': 'remove', 'path': 'emails'}",
                    "{'op': 'replace', 'path': 'active', 'value': 'abc'}");
            assertRefused(input, ScimType.INVALID_PATH,
                    "{'op': 'replace', 'path': 'name.givenName', 'value': 'X'}",
                    "{'op': 'add', 'path': 'nonsense', 'value': 'X'}");
            assertRefused(input, ScimType.MUTABILITY,
                    "{'op': 'add', 'path': 'emails', 'value': [{'value': 'x@y.z', 'primary': true}]}",
                    "{'op': 'replace', 'path': 'groups', 'value': []}");
        }

        @Test
        @DisplayName("the engine works on a copy: even a successful PATCH leaves its argument alone")
        void successLeavesTheInputUntouched() {
            ObjectNode input = user();
            ObjectNode result = patch(input,
                    "{'op': 'replace', 'path': 'name.givenName', 'value': 'Babs'}",
                    "{'op': 'add', 'path': 'emails', 'value': [{'value': 'x@y.z', 'primary': true}]}",
                    "{'op': 'remove', 'path': '" + ENTERPRISE + ":manager'}");
            assertThat(input).isEqualTo(user());
            assertThat(result).isNotEqualTo(input);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"id", "meta", "meta.created", "groups", "groups.value", ENTERPRISE + ":manager.displayName"})
        @DisplayName("each operation must respect mutability: a client must not modify a readOnly attribute")
        void readOnlyPathsAreRefused(String path) {
            for (String op : List.of("add", "replace", "remove")) {
                assertRefused(user(), ScimType.MUTABILITY,
                        "{'op': '" + op + "', 'path': '" + path + "', 'value': 'x'}");
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"nonsense", "name.nonsense", "userName.first", "emails[nonsense eq 1]",
                "emails[type eq \"work\"].nonsense", "title[value eq \"x\"]", ENTERPRISE + ":nonsense",
                "urn:ietf:params:scim:schemas:extension:unknown:2.0:User:x", "emails[type eq"})
        @DisplayName("a path that names no attribute of the schema is 400 invalidPath")
        void unknownPathsAreInvalidPath(String path) {
            for (String op : List.of("add", "replace", "remove")) {
                ObjectNode input = user();
                ObjectNode before = input.deepCopy();
                assertThatThrownBy(() -> patch(input, "{'op': '" + op + "', 'path': '" + path.replace("'", "\\'")
                        + "', 'value': 'x'}"))
                        .isInstanceOfSatisfying(ScimException.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.scimType()).contains(ScimType.INVALID_PATH);
                        });
                assertThat(input).isEqualTo(before);
            }
        }

        @Test
        @DisplayName("ops and attribute names are case-insensitive, output keeps the schema's spelling")
        void namesAreCaseInsensitive() {
            ObjectNode result = patch(user(),
                    "{'OP': 'REPLACE', 'PATH': 'NAME.GIVENNAME', 'VALUE': 'Babs'}",
                    "{'op': 'Add', 'path': 'NickName', 'value': 'B'}",
                    "{'op': 'replace', 'path': 'urn:ietf:params:scim:schemas:extension:ENTERPRISE:2.0:User:Department',"
                            + " 'value': 'Tours'}");
            assertThat(result.at("/name/givenName").asText()).isEqualTo("Babs");
            assertThat(result.get("nickName").asText()).isEqualTo("B");
            assertThat(enterprise(result).get("department").asText()).isEqualTo("Tours");
        }

        @Test
        @DisplayName("a path may be a whole extension's URN, the ToolJet one too, whose last part is its version")
        void aPathMayNameAWholeExtension() {
            ObjectNode replaced = patch(user(), "{'op': 'replace', 'path': '" + ScimFixtures.TOOLJET
                    + "', 'value': {'role': 'admin'}}");
            assertThat(replaced.at("/" + ScimFixtures.TOOLJET.replace("/", "~1") + "/role").asText()).isEqualTo("admin");
            ObjectNode removed = patch(user(), "{'op': 'remove', 'path': '" + ScimFixtures.TOOLJET.toUpperCase(
                    java.util.Locale.ROOT) + "'}", "{'op': 'remove', 'path': '" + ENTERPRISE + "'}");
            assertThat(removed.has(ScimFixtures.TOOLJET)).isFalse();
            assertThat(removed.has(ENTERPRISE)).isFalse();
        }
    }

    @Nested
    @DisplayName("§3.5.2.1 add")
    class Add {
        @Test
        @DisplayName("a value already there is not added again: the same value and type is that value, updated")
        void aValueAlreadyThereIsNotAddedTwice() {
            ObjectNode same = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': 'bjensen@example.com',"
                    + " 'type': 'work'}]}");
            assertThat(same.get("emails")).isEqualTo(user().get("emails"));
            ObjectNode otherCase = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': "
                    + "'BJensen@Example.com', 'type': 'Work', 'display': 'Babs at work'}]}");
            assertThat(otherCase.get("emails")).hasSize(2);
            assertThat(otherCase.at("/emails/0/display").asText()).isEqualTo("Babs at work");
            assertThat(otherCase.at("/emails/0/primary").asBoolean()).isTrue();
            ObjectNode otherType = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': "
                    + "'bjensen@example.com', 'type': 'home'}]}");
            assertThat(otherType.get("emails")).as("another type is another value").hasSize(3);
        }

        @Test
        @DisplayName("without a path the target is the resource itself and the value holds the attributes to add")
        void pathlessAddAddsEachAttribute() {
            ObjectNode result = patch(user(), "{'op': 'add', 'value': {'nickName': 'Babs', 'name': {'middleName': 'J'},"
                    + " 'emails': [{'value': 'b@other.org', 'type': 'other'}],"
                    + " '" + ENTERPRISE + "': {'department': 'Tours'}}}");
            assertThat(result.get("nickName").asText()).isEqualTo("Babs");
            assertThat(result.get("name")).isEqualTo(json(
                    "{'givenName': 'Barbara', 'familyName': 'Jensen', 'middleName': 'J'}"));
            assertThat(result.get("emails")).hasSize(3);
            assertThat(enterprise(result).get("department").asText()).isEqualTo("Tours");
            assertThat(enterprise(result).get("employeeNumber").asText()).isEqualTo("701984");
        }

        @Test
        @DisplayName("a target that does not exist yet is added with its value")
        void missingTargetIsAdded() {
            ObjectNode result = patch(user(),
                    "{'op': 'add', 'path': 'displayName', 'value': 'Babs Jensen'}",
                    "{'op': 'add', 'path': 'phoneNumbers', 'value': [{'value': '555-1234', 'type': 'work'}]}",
                    "{'op': 'add', 'path': 'addresses[type eq \"work\"].locality', 'value': 'Hollywood'}");
            assertThat(result.get("displayName").asText()).isEqualTo("Babs Jensen");
            assertThat(result.get("phoneNumbers")).isEqualTo(JSON.valueToTree(
                    List.of(json("{'value': '555-1234', 'type': 'work'}"))));
            assertThat(result.get("addresses")).isEqualTo(JSON.valueToTree(
                    List.of(json("{'type': 'work', 'locality': 'Hollywood'}"))));
        }

        @Test
        @DisplayName("a complex target takes a set of sub-attributes; the ones not given are kept")
        void complexTargetTakesSubAttributes() {
            ObjectNode result = patch(user(), "{'op': 'add', 'path': 'name', 'value': {'familyName': 'Smith',"
                    + " 'honorificPrefix': 'Ms.'}}");
            assertThat(result.get("name")).isEqualTo(json(
                    "{'givenName': 'Barbara', 'familyName': 'Smith', 'honorificPrefix': 'Ms.'}"));
        }

        @Test
        @DisplayName("a complex target given a plain string that is not a value is 400 invalidValue")
        void complexTargetRefusesAPlainString() {
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'add', 'path': 'name', 'value': 'Barbara'}");
        }

        @Test
        @DisplayName("a multi-valued target gets the new values beside the existing ones")
        void multiValuedTargetGetsNewValues() {
            ObjectNode result = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': 'b@other.org',"
                    + " 'type': 'other'}]}");
            assertThat(result.get("emails")).hasSize(3);
            assertThat(result.get("emails").get(0)).isEqualTo(user().get("emails").get(0));
            assertThat(result.at("/emails/2/value").asText()).isEqualTo("b@other.org");
        }

        @Test
        @DisplayName("a single value added to a multi-valued target counts as a one-element array")
        void singleValueToMultiValuedTarget() {
            ObjectNode result = patch(user(), "{'op': 'add', 'path': 'emails', 'value': {'value': 'b@other.org'}}");
            assertThat(result.get("emails")).hasSize(3);
        }

        @Test
        @DisplayName("a value already present is not added twice: exact duplicates are dropped")
        void exactDuplicatesAreDropped() {
            ObjectNode result = patch(user(), "{'op': 'add', 'path': 'emails', 'value': ["
                    + "{'value': 'babs@jensen.org', 'type': 'home'}, {'value': 'new@x.org'}, {'value': 'new@x.org'}]}");
            assertThat(result.get("emails")).hasSize(3);
            assertThat(result.at("/emails/2/value").asText()).isEqualTo("new@x.org");
        }

        @Test
        @DisplayName("adding what the resource already holds changes nothing")
        void addingThePresentValueIsANoOp() {
            ObjectNode input = user();
            assertThat(patch(input,
                    "{'op': 'add', 'path': 'title', 'value': 'Tour Guide'}",
                    "{'op': 'add', 'path': 'emails', 'value': [{'value': 'babs@jensen.org', 'type': 'home'}]}",
                    "{'op': 'add', 'path': 'name', 'value': {'givenName': 'Barbara'}}")).isEqualTo(input);
        }

        @Test
        @DisplayName("a single-valued target that has a value gets it replaced")
        void singleValuedTargetIsReplaced() {
            ObjectNode result = patch(user(),
                    "{'op': 'add', 'path': 'title', 'value': 'Chief'}",
                    "{'op': 'add', 'path': 'active', 'value': false}",
                    "{'op': 'add', 'path': 'name.givenName', 'value': 'Babs'}");
            assertThat(result.get("title").asText()).isEqualTo("Chief");
            assertThat(result.get("active").asBoolean()).isFalse();
            assertThat(result.at("/name/givenName").asText()).isEqualTo("Babs");
        }

        @Test
        @DisplayName("a new value with primary true takes primary away from the old one (RFC 7643 §2.4)")
        void newPrimaryClearsTheOldOne() {
            ObjectNode result = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': 'b@new.org',"
                    + " 'type': 'work', 'primary': true}]}");
            assertThat(primaries(result.get("emails"))).containsExactly("b@new.org");
            assertThat(result.at("/emails/0/value").asText()).isEqualTo("bjensen@example.com");
        }

        @Test
        @DisplayName("one added array with two primaries is 400 invalidValue")
        void twoPrimariesInOneValueAreRefused() {
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'add', 'path': 'emails', 'value': ["
                    + "{'value': 'a@x.org', 'primary': true}, {'value': 'b@x.org', 'primary': 'True'}]}");
        }
    }

    @Nested
    @DisplayName("§3.5.2.2 remove")
    class Remove {
        @Test
        @DisplayName("remove without a path is 400 noTarget")
        void removeWithoutPathIsNoTarget() {
            assertRefused(user(), ScimType.NO_TARGET, "{'op': 'remove'}");
            assertRefused(user(), ScimType.NO_TARGET, "{'op': 'remove', 'value': {'title': 'Tour Guide'}}");
            assertRefused(user(), ScimType.NO_TARGET, "{'op': 'Remove', 'path': '', 'value': {'title': 'x'}}");
        }

        @Test
        @DisplayName("values named in a remove's value are compared as their caseExact says, as a filter compares")
        void removeByValueComparesAsTheAttributeSays() {
            ObjectNode result = patch(user(), "{'op': 'remove', 'path': 'emails', 'value': [{'value': 'BABS@Jensen.org'}]}");
            assertThat(result.get("emails")).isEqualTo(json("{'emails': [{'value': 'bjensen@example.com', 'type': "
                    + "'work', 'primary': true}]}").get("emails"));
        }

        @Test
        @DisplayName("a single-valued target and its value are removed; the attribute is unassigned")
        void singleValuedTargetIsRemoved() {
            ObjectNode result = patch(user(),
                    "{'op': 'remove', 'path': 'title'}",
                    "{'op': 'remove', 'path': 'name.familyName'}",
                    "{'op': 'remove', 'path': '" + ENTERPRISE + ":employeeNumber'}");
            assertThat(result.has("title")).isFalse();
            assertThat(result.get("name")).isEqualTo(json("{'givenName': 'Barbara'}"));
            assertThat(enterprise(result).has("employeeNumber")).isFalse();
        }

        @Test
        @DisplayName("removing the last sub-attribute of a complex attribute leaves it unassigned, not empty")
        void lastSubAttributeLeavesNoEmptyObject() {
            ObjectNode result = patch(user(),
                    "{'op': 'remove', 'path': 'name.familyName'}",
                    "{'op': 'remove', 'path': 'name.givenName'}",
                    "{'op': 'remove', 'path': '" + ENTERPRISE + ":employeeNumber'}",
                    "{'op': 'remove', 'path': '" + ENTERPRISE + ":manager.value'}");
            assertThat(result.has("name")).isFalse();
            assertThat(result.has(ENTERPRISE)).as("an extension with nothing left").isFalse();
        }

        @Test
        @DisplayName("a multi-valued target without filter loses all its values and is unassigned")
        void multiValuedTargetWithoutFilterIsRemoved() {
            ObjectNode result = patch(user(), "{'op': 'remove', 'path': 'emails'}");
            assertThat(result.has("emails")).isFalse();
        }

        @Test
        @DisplayName("a value filter removes exactly the values it matches")
        void filterRemovesMatchingValues() {
            ObjectNode result = patch(user(), "{'op': 'remove', 'path': 'emails[type eq \"work\"]'}");
            assertThat(result.get("emails")).hasSize(1);
            assertThat(result.at("/emails/0/type").asText()).isEqualTo("home");
        }

        @Test
        @DisplayName("when the filter removes every value, the multi-valued attribute is unassigned")
        void removingEveryMatchUnassigns() {
            ObjectNode result = patch(user(), "{'op': 'remove', 'path': 'emails[value co \"@\"]'}");
            assertThat(result.has("emails")).isFalse();
        }

        @Test
        @DisplayName("a filter plus sub-attribute removes that sub-attribute from the matching values only")
        void filterWithSubAttributeRemovesTheSubAttribute() {
            ObjectNode result = patch(user(), "{'op': 'remove', 'path': 'emails[type eq \"work\"].primary'}");
            assertThat(result.get("emails").get(0)).isEqualTo(json(
                    "{'value': 'bjensen@example.com', 'type': 'work'}"));
            assertThat(result.get("emails").get(1)).isEqualTo(user().get("emails").get(1));
        }

        @Test
        @DisplayName("a group member is removed by a filter on its value (Okta, Entra aadOptscim062020)")
        void memberRemovedByFilter() {
            ObjectNode group = json("{'displayName': 'Tour Guides', 'members': [{'value': 'a'}, {'value': 'b'}]}");
            ObjectNode result = patchGroup(group, "{'op': 'remove', 'path': 'members[value eq \"a\"]'}");
            assertThat(result.get("members")).isEqualTo(JSON.valueToTree(List.of(json("{'value': 'b'}"))));
        }

        @Test
        @DisplayName("Entra removes members with a value array on the members path")
        void memberRemovedByValueArray() {
            ObjectNode group = json("{'displayName': 'Tour Guides', 'members': [{'value': 'a'}, {'value': 'b'},"
                    + " {'value': 'c'}]}");
            ObjectNode result = patchGroup(group,
                    "{'op': 'Remove', 'path': 'members', 'value': [{'value': 'a'}, {'value': 'c'}]}");
            assertThat(result.get("members")).isEqualTo(JSON.valueToTree(List.of(json("{'value': 'b'}"))));
        }

        @Test
        @DisplayName("removing a value that is not there is no error")
        void removingAbsentValueIsFine() {
            ObjectNode input = user();
            assertThat(patch(input,
                    "{'op': 'remove', 'path': 'nickName'}",
                    "{'op': 'remove', 'path': 'phoneNumbers'}",
                    "{'op': 'remove', 'path': 'emails[type eq \"other\"]'}")).isEqualTo(input);
        }

        @Test
        @DisplayName("remove takes no value for a single-valued target: one sent along is ignored, whatever its type")
        void removeIgnoresValueOfSingleValuedTarget() {
            ObjectNode result = patch(user(),
                    "{'op': 'remove', 'path': 'active', 'value': 'abc'}",
                    "{'op': 'remove', 'path': 'name', 'value': 'x'}",
                    "{'op': 'remove', 'path': 'title', 'value': {'a': 1}}");
            assertThat(result.has("active") || result.has("name") || result.has("title")).isFalse();
        }

        @Test
        @DisplayName("removing the required userName is 400 invalidValue")
        void removingUserNameIsRefused() {
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'remove', 'path': 'userName'}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'userName', 'value': ''}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'userName', 'value': null}");
        }

        @Test
        @DisplayName("a whole extension is removed by its schema URN")
        void extensionRemovedByUrn() {
            ObjectNode result = patch(user(), "{'op': 'remove', 'path': '" + ENTERPRISE + "'}");
            assertThat(result.has(ENTERPRISE)).isFalse();
            assertThat(result.get(TOOLJET)).isEqualTo(user().get(TOOLJET));
        }
    }

    @Nested
    @DisplayName("§3.5.2.3 replace")
    class Replace {
        @Test
        @DisplayName("without a path the target is the resource and the value lists the attributes to replace")
        void pathlessReplace() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'value': {'title': 'Chief', 'active': false,"
                    + " 'emails': [{'value': 'only@x.org'}]}}");
            assertThat(result.get("title").asText()).isEqualTo("Chief");
            assertThat(result.get("active").asBoolean()).isFalse();
            assertThat(result.get("emails")).isEqualTo(JSON.valueToTree(List.of(json("{'value': 'only@x.org'}"))));
            assertThat(result.get("name")).isEqualTo(user().get("name"));
        }

        @Test
        @DisplayName("a single-valued target has its value replaced")
        void singleValuedTargetReplaced() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'path': 'userName', 'value': 'babs'}");
            assertThat(result.get("userName").asText()).isEqualTo("babs");
        }

        @Test
        @DisplayName("a multi-valued target without filter has the attribute and all values replaced")
        void multiValuedTargetReplacedWhole() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'path': 'emails', 'value': [{'value': 'n@x.org',"
                    + " 'type': 'home'}]}");
            assertThat(result.get("emails")).isEqualTo(JSON.valueToTree(
                    List.of(json("{'value': 'n@x.org', 'type': 'home'}"))));
        }

        @Test
        @DisplayName("a target that does not exist is treated as an add")
        void missingTargetIsAdded() {
            ObjectNode result = patch(user(),
                    "{'op': 'replace', 'path': 'nickName', 'value': 'Babs'}",
                    "{'op': 'replace', 'path': 'phoneNumbers', 'value': [{'value': '555'}]}",
                    "{'op': 'replace', 'path': '" + ENTERPRISE + ":costCenter', 'value': '4130'}");
            assertThat(result.get("nickName").asText()).isEqualTo("Babs");
            assertThat(result.at("/phoneNumbers/0/value").asText()).isEqualTo("555");
            assertThat(enterprise(result).get("costCenter").asText()).isEqualTo("4130");
        }

        @Test
        @DisplayName("a complex target: given sub-attributes replace or add, the others are left unchanged")
        void complexTargetMergesSubAttributes() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'path': 'name', 'value': {'familyName': 'Smith',"
                    + " 'middleName': 'J'}}");
            assertThat(result.get("name")).isEqualTo(json(
                    "{'givenName': 'Barbara', 'familyName': 'Smith', 'middleName': 'J'}"));
        }

        @Test
        @DisplayName("a value filter that matches values replaces all the matching values")
        void filterReplacesMatchingValues() {
            ObjectNode input = user();
            ((ObjectNode) input.get("emails").get(1)).put("type", "work").remove("primary");
            ObjectNode result = patch(input, "{'op': 'replace', 'path': 'emails[type eq \"work\"]',"
                    + " 'value': {'display': 'Work'}}");
            assertThat(result.get("emails")).allSatisfy(e -> assertThat(e.get("display").asText()).isEqualTo("Work"));
            assertThat(result.get("emails")).extracting(e -> e.get("value").asText())
                    .containsExactly("bjensen@example.com", "babs@jensen.org");
            // RFC 7643 §2.4: two values of one value and type are one value, merged as an add merges
            // a value already there (Entra's replace of "the" work email of a user that has two).
            JsonNode merged = patch(input, "{'op': 'replace', 'path': 'emails[type eq \"work\"]',"
                    + " 'value': {'value': 'same@x.org'}}").get("emails");
            assertThat(merged).isEqualTo(oneValue("{'value': 'same@x.org', 'type': 'work', 'primary': true}"));
            assertThat(patch(input, "{'op': 'replace', 'path': 'emails[type eq \"work\"].value', 'value': 'SAME@x.org'}")
                    .get("emails")).isEqualTo(oneValue("{'value': 'SAME@x.org', 'type': 'work', 'primary': true}"));
            // What the operation sent wins over a value already there that it did not select, wherever
            // that one stands (an email of no type is the same as one of any type).
            ObjectNode untyped = user();
            ((ObjectNode) untyped.get("emails").get(1)).put("value", "b@x.org").put("display", "Home").remove("type");
            assertThat(patch(untyped, "{'op': 'replace', 'path': 'emails[type eq \"work\"]',"
                    + " 'value': {'value': 'B@x.org', 'display': 'Work'}}").get("emails"))
                    .isEqualTo(oneValue("{'value': 'B@x.org', 'type': 'work', 'primary': true, 'display': 'Work'}"));
            // A value a filter makes equal to one it did not select is merged into that one.
            assertThat(patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"home\"]',"
                    + " 'value': {'value': 'BJENSEN@example.com', 'type': 'work'}}").get("emails"))
                    .isEqualTo(oneValue("{'value': 'BJENSEN@example.com', 'type': 'work', 'primary': true}"));
        }

        @Test
        @DisplayName("a value filter plus sub-attribute replaces that sub-attribute in every matching value")
        void filterWithSubAttributeReplacesSubAttribute() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"home\"].value',"
                    + " 'value': 'b@home.org'}");
            assertThat(result.get("emails").get(1)).isEqualTo(json("{'value': 'b@home.org', 'type': 'home'}"));
            assertThat(result.get("emails").get(0)).isEqualTo(user().get("emails").get(0));
        }

        @Test
        @DisplayName("a value filter's values are complex: the sub-attributes sent replace theirs, the others stay")
        void filterReplaceKeepsTheSubAttributesItDoesNotName() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"home\"]',"
                    + " 'value': {'primary': true}}");
            assertThat(result.get("emails")).isEqualTo(json("{'emails': [{'value': 'bjensen@example.com', 'type': "
                    + "'work'}, {'value': 'babs@jensen.org', 'type': 'home', 'primary': true}]}").get("emails"));
            result = patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"work\"]', 'value': {'display': 'W'}}");
            assertThat(result.get("emails").get(0)).isEqualTo(json(
                    "{'value': 'bjensen@example.com', 'type': 'work', 'primary': true, 'display': 'W'}"));
            result = patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"work\"]', 'value': {'value': ''}}");
            assertThat(result.get("emails")).as("an email whose address is unassigned is no email")
                    .isEqualTo(json("{'emails': [{'value': 'babs@jensen.org', 'type': 'home'}]}").get("emails"));
            result = patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"work\"]', 'value': null}");
            assertThat(result.get("emails")).hasSize(1);
        }

        @Test
        @DisplayName("a complex target replaced by sub-attributes sent empty unassigns those alone")
        void complexTargetUnassignsOnlyTheSubAttributesSentEmpty() {
            ObjectNode withMiddle = patch(user(), "{'op': 'add', 'path': 'name.middleName', 'value': 'M'}");
            assertThat(patch(withMiddle, "{'op': 'replace', 'path': 'name', 'value': {'middleName': ''}}")
                    .get("name")).isEqualTo(user().get("name"));
            assertThat(patch(withMiddle, "{'op': 'replace', 'path': 'name', 'value': {'middleName': null}}")
                    .get("name")).isEqualTo(user().get("name"));
            assertThat(patch(withMiddle, "{'op': 'replace', 'path': 'name', 'value': {}}").get("name"))
                    .isEqualTo(withMiddle.get("name"));
            assertThat(patch(withMiddle, "{'op': 'replace', 'path': 'name', 'value': {'givenName': 'Babs', "
                    + "'middleName': null}}").get("name")).isEqualTo(json("{'givenName': 'Babs', 'familyName': 'Jensen'}"));
            assertThat(patch(withMiddle, "{'op': 'replace', 'value': {'name': {'middleName': ''}}}").get("name"))
                    .isEqualTo(user().get("name"));
            assertThat(patch(user(), "{'op': 'replace', 'path': 'name', 'value': {'givenName': '', 'familyName': ''}}")
                    .has("name")).as("every sub-attribute unassigned").isFalse();
        }

        @Test
        @DisplayName("a manager whose value is replaced by nothing is no manager, whatever else it held")
        void managerWithoutItsValueIsRemoved() {
            ObjectNode withRef = patch(user(), "{'op': 'replace', 'path': '" + ENTERPRISE + ":manager', "
                    + "'value': {'value': '26118915', '$ref': '../Users/26118915'}}");
            assertThat(enterprise(withRef).at("/manager/$ref").asText()).isEqualTo("../Users/26118915");
            for (String empty : new String[] {"''", "null"}) {
                assertThat(enterprise(patch(withRef, "{'op': 'replace', 'path': '" + ENTERPRISE + ":manager', "
                        + "'value': {'value': " + empty + "}}")).has("manager")).as(empty).isFalse();
                assertThat(enterprise(patch(withRef, "{'op': 'replace', 'path': '" + ENTERPRISE + "', "
                        + "'value': {'manager': {'value': " + empty + "}}}")).has("manager")).as(empty).isFalse();
            }
        }

        @Test
        @DisplayName("a manager replaced by its read-only displayName alone keeps its value")
        void managerReplacedByReadOnlySubAttributeIsKept() {
            JsonNode manager = enterprise(user()).get("manager");
            assertThat(enterprise(patch(user(), "{'op': 'replace', 'path': '" + ENTERPRISE + ":manager', "
                    + "'value': {'displayName': 'Boss'}}")).get("manager")).isEqualTo(manager);
            assertThat(enterprise(patch(user(), "{'op': 'replace', 'path': '" + ENTERPRISE + "', "
                    + "'value': {'manager': {'displayName': 'Boss'}}}")).get("manager")).isEqualTo(manager);
        }

        @Test
        @DisplayName("a sub-attribute set on every value without a filter merges the values it leaves the same")
        void subAttributeOnEveryValueMergesTheValuesItMakesTheSame() {
            assertThat(patch(user(), "{'op': 'replace', 'path': 'emails.value', 'value': 'same@x.org'}",
                    "{'op': 'replace', 'path': 'emails.type', 'value': 'work'}").get("emails"))
                    .isEqualTo(oneValue("{'value': 'same@x.org', 'type': 'work', 'primary': true}"));
            ObjectNode oneEmail = patch(user(), "{'op': 'remove', 'path': 'emails[type eq \"home\"]'}");
            assertThat(patch(oneEmail, "{'op': 'replace', 'path': 'emails.value', 'value': 'new@x.org'}")
                    .at("/emails/0/value").asText()).isEqualTo("new@x.org");
            ObjectNode noEmail = patch(user(), "{'op': 'remove', 'path': 'emails'}");
            assertThat(patch(noEmail, "{'op': 'replace', 'path': 'emails.type', 'value': 'work'}").has("emails"))
                    .as("an email with a type and no address is no email").isFalse();
        }

        @Test
        @DisplayName("a sub-attribute removed through a filter merges the values it leaves the same")
        void subAttributeRemovedThroughAFilterMergesTheValuesItLeavesTheSame() {
            // Without its type, the work email is the same as the home one in another case (RFC 7643 §2.4):
            // one value, as the same removal without a filter leaves; the value the filter selected wins.
            ObjectNode input = user();
            ((ObjectNode) input.get("emails").get(1)).put("value", "BJENSEN@example.com");
            assertThat(patch(input, "{'op': 'remove', 'path': 'emails[type eq \"work\"].type'}").get("emails"))
                    .isEqualTo(oneValue("{'value': 'bjensen@example.com', 'type': 'home', 'primary': true}"));
        }

        @Test
        @DisplayName("a value sent without content may be completed by a later operation, and is no value if not")
        void aValueSentWithoutContentIsCompletedLaterOrDropped() {
            // A template's slot, then its content through a filter that selects it: one value, primary kept.
            ObjectNode filled = patch(user(), "{'op': 'add', 'path': 'phoneNumbers', 'value': [{'type': 'work', 'primary': true}]}",
                    "{'op': 'add', 'path': 'phoneNumbers[type eq \"work\"].value', 'value': '+1 555'}");
            assertThat(filled.get("phoneNumbers")).isEqualTo(oneValue("{'type': 'work', 'primary': true, 'value': '+1 555'}"));
            // Left without content, it is no value: as a POST or PUT takes it.
            ObjectNode slots = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': null, 'type': 'other'}]}",
                    "{'op': 'add', 'path': 'addresses', 'value': [{'type': 'work'}]}");
            assertThat(slots.get("emails")).isEqualTo(user().get("emails"));
            assertThat(slots.has("addresses")).isFalse();
            assertThat(patch(user(), "{'op': 'replace', 'path': 'phoneNumbers', 'value': [{'type': 'work'}]}")
                    .has("phoneNumbers")).isFalse();
            // A slot marked primary takes the primary from no value that has content, and is not a second one.
            assertThat(patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'type': 'other', 'primary': true}]}")
                    .get("emails")).isEqualTo(user().get("emails"));
            JsonNode emails = patch(user(), "{'op': 'add', 'path': 'emails', 'value': [{'value': 'n@x.org', 'primary': true},"
                    + " {'type': 'other', 'primary': true}]}").get("emails");
            assertThat(emails).filteredOn(e -> e.path("primary").asBoolean()).extracting(e -> e.get("value").asText())
                    .containsExactly("n@x.org");
            // Two slots, each completed by an operation of its own: the second survives the first's.
            assertThat(patch(user(), "{'op': 'add', 'path': 'phoneNumbers', 'value': [{'type': 'work'},"
                            + " {'type': 'mobile', 'primary': true}]}",
                    "{'op': 'add', 'path': 'phoneNumbers[type eq \"work\"].value', 'value': '1'}",
                    "{'op': 'add', 'path': 'phoneNumbers[type sw \"mob\"].value', 'value': '2'}").get("phoneNumbers"))
                    .isEqualTo(json("{'a': [{'type': 'work', 'value': '1'}, {'type': 'mobile', 'primary': true,"
                            + " 'value': '2'}]}").get("a"));
            // A primary slot completed on every value at once takes the primary, as through its filter.
            ObjectNode housed = user();
            housed.set("addresses", json("{'a': [{'type': 'home', 'locality': 'Oslo', 'primary': true}]}").get("a"));
            JsonNode addresses = patch(housed, "{'op': 'add', 'path': 'addresses', 'value': [{'type': 'work', 'primary': true}]}",
                    "{'op': 'replace', 'path': 'addresses.country', 'value': 'NO'}").get("addresses");
            assertThat(addresses).filteredOn(a -> a.path("primary").asBoolean()).extracting(a -> a.get("type").asText())
                    .containsExactly("work");
            // A slot removed by its filter stays removed, whatever a later operation gives every value.
            assertThat(patch(housed, "{'op': 'add', 'path': 'addresses', 'value': [{'type': 'work'}]}",
                    "{'op': 'remove', 'path': 'addresses[type eq \"work\"]'}",
                    "{'op': 'replace', 'path': 'addresses.country', 'value': 'NO'}").get("addresses")).hasSize(1);
            // A slot is no second value for a primary flag set on every value.
            ObjectNode oneEmail = user();
            oneEmail.set("emails", json("{'a': [{'value': 'a@x.org'}]}").get("a"));
            assertThat(patch(oneEmail, "{'op': 'add', 'path': 'emails', 'value': [{'type': 'other'}]}",
                    "{'op': 'replace', 'path': 'emails.primary', 'value': true}").get("emails"))
                    .isEqualTo(oneValue("{'value': 'a@x.org', 'primary': true}"));
            // One an older version stored is left alone, and a remove that names it takes it away.
            ObjectNode stored = user();
            stored.set("addresses", json("{'a': [{'type': 'work'}, {'type': 'home', 'locality': 'Oslo'}]}").get("a"));
            assertThat(patch(stored, "{'op': 'replace', 'path': 'title', 'value': 'Guide'}").get("addresses")).hasSize(2);
            assertThat(patch(stored, "{'op': 'remove', 'path': 'addresses', 'value': [{'type': 'work'}]}")
                    .get("addresses")).isEqualTo(oneValue("{'type': 'home', 'locality': 'Oslo'}"));
        }

        @Test
        @DisplayName("a value filter's values are checked as a GET filter's are: 400 invalidFilter, never false")
        void aValueFilterIsCheckedAsAQueryFilterIs() {
            assertRefused(user(), ScimType.INVALID_FILTER,
                    "{'op': 'replace', 'path': 'emails[primary eq \"yes\"].type', 'value': 'other'}");
            assertRefused(user(), ScimType.INVALID_FILTER,
                    "{'op': 'remove', 'path': 'emails[primary gt true]'}");
            assertRefused(user(), ScimType.INVALID_FILTER,
                    "{'op': 'remove', 'path': 'emails[type eq \"home\" or primary co \"t\"]'}");
            assertThat(patch(user(), "{'op': 'remove', 'path': 'emails[primary eq \"TRUE\"]'}").get("emails"))
                    .hasSize(1);
            assertThat(patch(user(), "{'op': 'remove', 'path': 'emails[primary ne true]'}").get("emails"))
                    .hasSize(1);
        }

        @Test
        @DisplayName("a value filter that matches nothing and is no plain equality is 400 noTarget")
        void unmatchedFilterIsNoTarget() {
            assertRefused(user(), ScimType.NO_TARGET,
                    "{'op': 'replace', 'path': 'emails[value co \"@nowhere\"].type', 'value': 'other'}");
            assertRefused(user(), ScimType.NO_TARGET,
                    "{'op': 'replace', 'path': 'emails[type eq \"other\" or type eq \"x\"]', 'value': {'value': 'z'}}");
        }

        @Test
        @DisplayName("making another value primary through a filter clears the old primary")
        void primaryThroughFilter() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'path': 'emails[type eq \"home\"].primary',"
                    + " 'value': 'True'}");
            assertThat(primaries(result.get("emails"))).containsExactly("babs@jensen.org");
        }

        @Test
        @DisplayName("a value that held nothing but primary leaves the list when another value takes primary")
        void valueLeftWithNothingLeaves() {
            // Found by PatchEnginePropertiesTest (seed 840111138492515248): the old value lost its
            // primary and stayed behind as {}.
            ObjectNode result = patch(user(),
                    "{'op': 'replace', 'path': 'emails', 'value': {'primary': true}}",
                    "{'op': 'add', 'path': 'emails[type eq \"home\"]', 'value': {'value': 'b@home.example', "
                            + "'primary': true}}");
            assertThat(result.get("emails")).isEqualTo(json("{'emails': [{'type': 'home', 'value': 'b@home.example', "
                    + "'primary': true}]}").get("emails"));
        }

        @Test
        @DisplayName("a value a filter would make without its \"value\" is noTarget, and nothing changes")
        void valueMadeWithoutItsValueIsNoTarget() {
            assertRefused(user(), ScimType.NO_TARGET,
                    "{'op': 'add', 'path': 'emails[type eq \"other\"].primary', 'value': true}");
        }

        @Test
        @DisplayName("an operation's member named twice in two cases is 400 invalidSyntax, not the first of them")
        void anOperationMemberNamedTwiceIsRefused() {
            for (String operation : new String[] {"{'op': 'replace', 'OP': 'remove', 'path': 'title', 'value': 'x'}",
                "{'op': 'replace', 'path': 'title', 'PATH': 'nickName', 'value': 'x'}",
                "{'op': 'replace', 'path': 'title', 'value': 'E', 'VALUE': 'F'}"}) {
                assertThatThrownBy(() -> ops(operation)).as(operation).isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_SYNTAX));
            }
            // Inside a path-less value, one attribute in two spellings is refused too, not the last kept.
            for (String operation : new String[] {"{'op': 'replace', 'value': {'title': 'a', 'TITLE': 'b'}}",
                "{'op': 'replace', 'value': {'urn:ietf:params:scim:schemas:core:2.0:User': {'title': 'a'}, 'title': 'b'}}",
                "{'op': 'replace', 'value': {'" + ENTERPRISE + "': {'department': 'a'}, '" + ENTERPRISE
                        + ":department': 'b'}}",
                "{'op': 'replace', 'value': {'password': 'a', 'PASSWORD': 'b'}}",
                "{'op': 'replace', 'value': {'phoneNumbers[type eq \"work\"].value': '1', "
                        + "'PHONENUMBERS[type eq \"work\"].value': '2'}}"}) {
                assertRefused(user(), ScimType.INVALID_SYNTAX, operation);
            }
            // Entra's flag mode names several values of one attribute by their filters in one value.
            ObjectNode result = patch(user(), "{'op': 'replace', 'value': {'phoneNumbers[type eq \"work\"].value': "
                    + "'+1 555 0100', 'phoneNumbers[type eq \"mobile\"].value': '+1 555 0199', 'name.givenName': 'X', "
                    + "'name.familyName': 'Y'}}");
            assertThat(result.get("phoneNumbers")).hasSize(2);
            assertThat(result.at("/name/givenName").asText()).isEqualTo("X");
        }

        @Test
        @DisplayName("adds beyond MAX_VALUES values are refused after the operation that crosses it; removes are not")
        void valuesAreBoundedOperationByOperation() {
            List<String> adds = new ArrayList<>();
            for (int i = 0; i < ResourceNormalizer.MAX_VALUES; i++) {
                adds.add("{'op': 'add', 'path': 'emails', 'value': [{'value': 'a" + i + "@example.com'}]}");
            }
            assertRefused(user(), ScimType.INVALID_VALUE, adds.toArray(String[]::new));
            // Stored before the bound (or by an older version): values can still be taken away.
            ObjectNode stored = user();
            ArrayNode many = stored.putArray("emails");
            for (int i = 0; i < ResourceNormalizer.MAX_VALUES + 50; i++) {
                many.addObject().put("value", "s" + i + "@example.com");
            }
            ObjectNode result = patch(stored, "{'op': 'remove', 'path': 'emails[value eq \"s0@example.com\"]'}");
            assertThat(result.get("emails")).hasSize(ResourceNormalizer.MAX_VALUES + 49);
            StringBuilder named = new StringBuilder();
            for (int i = 0; i <= ResourceNormalizer.MAX_VALUES; i++) {
                named.append(i == 0 ? "" : ", ").append("{'value': 's").append(i).append("@example.com'}");
            }
            result = patch(stored, "{'op': 'remove', 'path': 'emails', 'value': [" + named + "]}");
            assertThat(result.get("emails")).as("more than the bound named in one remove").hasSize(49);
            // An operation that adds no value changes such a user: Entra's replace of its work address.
            result = patch(stored, "{'op': 'replace', 'path': 'emails[value eq \"s7@example.com\"].type', 'value': 'work'}");
            assertThat(result.get("emails")).hasSize(ResourceNormalizer.MAX_VALUES + 50);
            assertRefused(stored, ScimType.INVALID_VALUE,
                    "{'op': 'add', 'path': 'emails', 'value': [{'value': 'one-more@example.com'}]}");
        }

        @Test
        @DisplayName("an address a filter would make with nothing but its type and primary is noTarget")
        void addressMadeWithoutContentIsNoTarget() {
            assertRefused(user(), ScimType.NO_TARGET,
                    "{'op': 'replace', 'path': 'addresses[type eq \"home\"].primary', 'value': 'True'}");
            ObjectNode result = patch(user(),
                    "{'op': 'replace', 'path': 'addresses[type eq \"home\"].primary', 'value': 'True'}",
                    "{'op': 'replace', 'path': 'addresses[type eq \"home\"].locality', 'value': 'Leeds'}");
            assertThat(result.get("addresses")).anySatisfy(address -> assertThat(address).isEqualTo(json(
                    "{'type': 'home', 'primary': true, 'locality': 'Leeds'}")));
            // Completed by a path without a filter, it still takes primary from the one that held it.
            ObjectNode stored = user();
            stored.putArray("addresses").addObject().put("type", "work").put("primary", true).put("locality", "A");
            result = patch(stored,
                    "{'op': 'replace', 'path': 'addresses[type eq \"home\"].primary', 'value': true}",
                    "{'op': 'replace', 'path': 'addresses.locality', 'value': 'X'}");
            assertThat(primaries(result.get("addresses"))).hasSize(1);
        }

        @Test
        @DisplayName("a value without its \"value\" that an older version stored does not stop a PATCH")
        void aStoredValueWithoutItsValueIsLeftAlone() {
            ObjectNode stored = user();
            stored.withArray("emails").addObject().put("type", "other").put("primary", true);
            ObjectNode result = patch(stored, "{'op': 'replace', 'path': 'title', 'value': 'Chief'}");
            assertThat(result.get("title").asText()).isEqualTo("Chief");
            // A new primary takes primary from it, which changes it: still not a value this PATCH made.
            result = patch(stored, "{'op': 'add', 'path': 'emails', 'value': [{'value': 'n@example.com', "
                    + "'primary': true}]}");
            assertThat(primaries(result.get("emails"))).containsExactly("n@example.com");
        }

        @Test
        @DisplayName("a value made without its \"value\" and dropped by a later operation is noTarget too")
        void aValueMadeIncompleteAndDroppedLaterIsNoTarget() {
            assertRefused(user(), ScimType.NO_TARGET,
                    "{'op': 'add', 'path': 'emails[type eq \"other\"].primary', 'value': true}",
                    "{'op': 'replace', 'path': 'emails[type eq \"work\"].value', 'value': 'new@example.com'}");
        }

        @Test
        @DisplayName("null or \"\" as value clears an optional attribute")
        void emptyValueClears() {
            ObjectNode result = patch(user(),
                    "{'op': 'replace', 'path': 'title', 'value': ''}",
                    "{'op': 'replace', 'path': 'name.familyName', 'value': null}",
                    "{'op': 'replace', 'path': 'emails', 'value': []}");
            assertThat(result.has("title")).isFalse();
            assertThat(result.get("name")).isEqualTo(json("{'givenName': 'Barbara'}"));
            assertThat(result.has("emails")).isFalse();
        }

        @Test
        @DisplayName("a value of the wrong type is 400 invalidValue")
        void wrongTypeIsInvalidValue() {
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'active', 'value': 'abc'}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'active', 'value': 1}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'userName', 'value': {'a': 1}}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'title', 'value': ['a']}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'name.givenName', 'value': ['a']}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'value': {'active': 'abc'}}");
            assertRefused(user(), ScimType.INVALID_VALUE,
                    "{'op': 'replace', 'path': 'emails[type eq \"work\"].primary', 'value': 'yes'}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': '" + ENTERPRISE + "',"
                    + " 'value': 'x'}");
        }
    }

    @Nested
    @DisplayName("Microsoft Entra ID")
    class Entra {
        @Test
        @DisplayName("capitalised ops: Add, Replace, Remove")
        void capitalisedOps() {
            ObjectNode result = patch(user(),
                    "{'op': 'Add', 'path': 'nickName', 'value': 'Babs'}",
                    "{'op': 'Replace', 'path': 'name.familyName', 'value': 'Smith'}",
                    "{'op': 'Remove', 'path': 'title'}");
            assertThat(result.get("nickName").asText()).isEqualTo("Babs");
            assertThat(result.at("/name/familyName").asText()).isEqualTo("Smith");
            assertThat(result.has("title")).isFalse();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"'False'", "'false'", "'FALSE'", "false"})
        @DisplayName("disable: active as the string \"False\" becomes the boolean false")
        void activeAsString(String value) {
            ObjectNode result = patch(user(), "{'op': 'Replace', 'path': 'active', 'value': " + value + "}");
            assertThat(result.get("active").isBoolean()).isTrue();
            assertThat(result.get("active").asBoolean()).isFalse();
        }

        @Test
        @DisplayName("path-less replace whose keys are plain names, dotted sub-attributes and extension URNs")
        void pathlessReplaceWithPathKeys() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'value': {'displayName': 'Babs',"
                    + " 'name.givenName': 'X',"
                    + " '" + ENTERPRISE + ":employeeNumber': '7',"
                    + " '" + TOOLJET + ":role': 'admin'}}");
            assertThat(result.get("displayName").asText()).isEqualTo("Babs");
            assertThat(result.get("name")).isEqualTo(json("{'givenName': 'X', 'familyName': 'Jensen'}"));
            assertThat(enterprise(result).get("employeeNumber").asText()).isEqualTo("7");
            assertThat(enterprise(result).get("manager")).isEqualTo(json("{'value': '26118915'}"));
            assertThat(result.at("/" + TOOLJET + "/role").asText()).isEqualTo("admin");
        }

        @Test
        @DisplayName("emails[type eq \"work\"].value replaces the work email's address")
        void workEmailReplaced() {
            ObjectNode result = patch(user(), "{'op': 'Replace', 'path': 'emails[type eq \"work\"].value',"
                    + " 'value': 'barbara@example.com'}");
            assertThat(result.get("emails").get(0)).isEqualTo(json(
                    "{'value': 'barbara@example.com', 'type': 'work', 'primary': true}"));
        }

        @Test
        @DisplayName("emails[type eq \"work\"].value on a user with no work email creates it")
        void workEmailCreated() {
            ObjectNode input = user();
            input.remove("emails");
            ObjectNode result = patch(input, "{'op': 'Replace', 'path': 'emails[type eq \"work\"].value',"
                    + " 'value': 'barbara@example.com'}");
            assertThat(result.get("emails")).isEqualTo(JSON.valueToTree(
                    List.of(json("{'type': 'work', 'value': 'barbara@example.com'}"))));
        }

        @Test
        @DisplayName("addresses[type eq \"work\"].* fill one work address, created by the first of them")
        void workAddressParts() {
            String[] parts = {"streetAddress", "locality", "region", "postalCode", "country", "formatted"};
            String[] operations = new String[parts.length];
            for (int i = 0; i < parts.length; i++) {
                operations[i] = "{'op': 'Add', 'path': 'addresses[type eq \"work\"]." + parts[i] + "',"
                        + " 'value': '" + parts[i] + " value'}";
            }
            ObjectNode result = patch(user(), operations);
            assertThat(result.get("addresses")).hasSize(1);
            assertThat(result.at("/addresses/0/type").asText()).isEqualTo("work");
            for (String part : parts) {
                assertThat(result.at("/addresses/0/" + part).asText()).isEqualTo(part + " value");
            }
            ObjectNode again = patch(result, "{'op': 'Replace', 'path': 'addresses[type eq \"work\"].streetAddress',"
                    + " 'value': '1 Main St'}");
            assertThat(again.get("addresses")).hasSize(1);
            assertThat(again.at("/addresses/0/streetAddress").asText()).isEqualTo("1 Main St");
        }

        @Test
        @DisplayName("phoneNumbers[type eq \"mobile\"].value creates, then replaces, the mobile number")
        void mobilePhone() {
            ObjectNode created = patch(user(),
                    "{'op': 'Add', 'path': 'phoneNumbers[type eq \"work\"].value', 'value': '555-0100'}",
                    "{'op': 'Add', 'path': 'phoneNumbers[type eq \"mobile\"].value', 'value': '555-0101'}");
            ObjectNode replaced = patch(created,
                    "{'op': 'Replace', 'path': 'phoneNumbers[type eq \"mobile\"].value', 'value': '555-0199'}");
            assertThat(replaced.get("phoneNumbers")).isEqualTo(JSON.valueToTree(List.of(
                    json("{'type': 'work', 'value': '555-0100'}"), json("{'type': 'mobile', 'value': '555-0199'}"))));
        }

        @Test
        @DisplayName("employeeNumber by its full extension URN path")
        void employeeNumberByUrn() {
            ObjectNode result = patch(user(), "{'op': 'Replace', 'path': '" + ENTERPRISE + ":employeeNumber',"
                    + " 'value': '42'}");
            assertThat(enterprise(result).get("employeeNumber").asText()).isEqualTo("42");
        }

        @Test
        @DisplayName("manager added as a bare id means its value")
        void managerAsBareId() {
            ObjectNode input = user();
            enterprise(input).remove("manager");
            ObjectNode result = patch(input, "{'op': 'Add', 'path': '" + ENTERPRISE + ":manager', 'value': 'm-42'}");
            assertThat(enterprise(result).get("manager")).isEqualTo(json("{'value': 'm-42'}"));
        }

        @Test
        @DisplayName("manager added as a {value, $ref} object")
        void managerAsObject() {
            ObjectNode input = user();
            enterprise(input).remove("manager");
            ObjectNode result = patch(input, "{'op': 'Add', 'path': '" + ENTERPRISE + ":manager',"
                    + " 'value': {'value': 'm-42', '$ref': 'https://h/Users/m-42'}}");
            assertThat(enterprise(result).get("manager")).isEqualTo(json(
                    "{'value': 'm-42', '$ref': 'https://h/Users/m-42'}"));
        }

        @Test
        @DisplayName("manager added over an existing one replaces its value")
        void managerReplacedByAdd() {
            ObjectNode result = patch(user(), "{'op': 'Add', 'path': '" + ENTERPRISE + ":manager', 'value': 'm-42'}");
            assertThat(enterprise(result).at("/manager/value").asText()).isEqualTo("m-42");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"''", "null", "{'value': ''}"})
        @DisplayName("manager removed by a Replace with an empty value")
        void managerRemovedByEmptyReplace(String value) {
            ObjectNode result = patch(user(), "{'op': 'Replace', 'path': '" + ENTERPRISE + ":manager',"
                    + " 'value': " + value + "}");
            assertThat(enterprise(result).has("manager")).isFalse();
            assertThat(enterprise(result).get("employeeNumber").asText()).isEqualTo("701984");
        }

        @Test
        @DisplayName("the ToolJet role by its URN path")
        void roleByUrnPath() {
            ObjectNode result = patch(user(), "{'op': 'Replace', 'path': '" + TOOLJET + ":role', 'value': 'admin'}");
            assertThat(result.at("/" + TOOLJET + "/role").asText()).isEqualTo("admin");
            ObjectNode removed = patch(user(), "{'op': 'Remove', 'path': '" + TOOLJET + ":role'}");
            assertThat(removed.has(TOOLJET)).isFalse();
        }

        @Test
        @DisplayName("a group: members added in a batch with $ref null, renamed by displayName")
        void groupMembersAndRename() {
            ObjectNode group = json("{'displayName': 'Tour Guides'}");
            ObjectNode result = patchGroup(group,
                    "{'op': 'Add', 'path': 'members', 'value': [{'$ref': null, 'value': 'a'}, {'$ref': null, 'value': 'b'}]}",
                    "{'op': 'Replace', 'path': 'displayName', 'value': 'Guides'}");
            assertThat(result).isEqualTo(json("{'displayName': 'Guides', 'members': [{'value': 'a'}, {'value': 'b'}]}"));
        }
    }

    @Nested
    @DisplayName("Okta")
    class Okta {
        @Test
        @DisplayName("deactivate: path-less replace of {active: false}")
        void deactivate() {
            ObjectNode result = patch(user(), "{'op': 'replace', 'value': {'active': false}}");
            assertThat(result.get("active")).isEqualTo(JSON.getNodeFactory().booleanNode(false));
            result.put("active", true);
            assertThat(result).isEqualTo(user());
        }

        @Test
        @DisplayName("the resource's own id echoed inside a path-less value is ignored, the rest applied")
        void readOnlyIdInValueIgnored() {
            ObjectNode group = json("{'displayName': 'Tour Guides'}");
            ObjectNode result = patchGroup(group, "{'op': 'replace', 'value': {'id': '" + ScimFixtures.ID
                    + "', 'displayName': 'Guides'}}");
            assertThat(result).isEqualTo(json("{'displayName': 'Guides'}"));
            ObjectNode user = patch(user(), "{'op': 'replace', 'value': {'ID': '" + ScimFixtures.ID.toUpperCase()
                    + "', 'meta': {'created': 'x'}, 'groups': [{'value': 'g'}], 'schemas': ['x'], 'unknownThing': 1,"
                    + " 'title': 'Chief'}}");
            assertThat(user.get("title").asText()).isEqualTo("Chief");
            assertThat(user.has("id") || user.has("meta") || user.has("groups") || user.has("unknownThing")).isFalse();
        }

        @Test
        @DisplayName("another id inside a path-less value asks for a change the id cannot take: 400 mutability")
        void anotherIdInValueRefused() {
            for (String value : new String[] {"'u-1'", "null", "7", "''", "'" + java.util.UUID.randomUUID() + "'"}) {
                assertThatThrownBy(() -> patch(user(), "{'op': 'replace', 'value': {'id': " + value
                        + ", 'title': 'Chief'}}")).as(value).isInstanceOfSatisfying(ScimException.class,
                                e -> assertThat(e.scimType()).contains(ScimType.MUTABILITY));
            }
            assertThatThrownBy(() -> patchGroup(json("{'displayName': 'Tour Guides'}"), "{'op': 'replace', 'value': "
                    + "{'urn:ietf:params:scim:schemas:core:2.0:Group': {'id': 'g-1'}}}"))
                    .isInstanceOfSatisfying(ScimException.class,
                            e -> assertThat(e.scimType()).contains(ScimType.MUTABILITY));
        }

        @Test
        @DisplayName("members added with a display name: the read-only display is not stored")
        void membersWithDisplay() {
            ObjectNode group = json("{'displayName': 'Tour Guides', 'members': [{'value': 'a'}]}");
            ObjectNode result = patchGroup(group,
                    "{'op': 'add', 'path': 'members', 'value': [{'value': 'a', 'display': 'Ann'},"
                            + " {'value': 'b', 'display': 'Bob'}]}");
            assertThat(result.get("members")).isEqualTo(JSON.valueToTree(List.of(
                    json("{'value': 'a'}"), json("{'value': 'b'}"))));
        }
    }

    @Nested
    @DisplayName("primary values")
    class Primary {
        @Test
        @DisplayName("primary true on a sub-attribute path without filter would mark every value primary: 400 invalidValue")
        void subAttributePrimaryOnEveryValueIsRefused() {
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'replace', 'path': 'emails.primary', 'value': true}");
            assertRefused(user(), ScimType.INVALID_VALUE, "{'op': 'add', 'path': 'emails.primary', 'value': 'True'}");
        }

        @Test
        @DisplayName("primary on a sub-attribute path is fine when it cannot make two primaries")
        void subAttributePrimaryWhenHarmless() {
            ObjectNode cleared = patch(user(), "{'op': 'replace', 'path': 'emails.primary', 'value': false}");
            assertThat(primaries(cleared.get("emails"))).isEmpty();
            ObjectNode single = user();
            ((ArrayNode) single.get("emails")).remove(0);
            ObjectNode result = patch(single, "{'op': 'replace', 'path': 'emails.primary', 'value': true}");
            assertThat(primaries(result.get("emails"))).containsExactly("babs@jensen.org");
        }

        @Test
        @DisplayName("a primary value made through a created work email clears the old primary")
        void createdPrimaryClearsOld() {
            ObjectNode result = patch(user(), "{'op': 'add', 'path': 'emails[type eq \"other\" and primary eq true].value',"
                    + " 'value': 'o@x.org'}");
            assertThat(primaries(result.get("emails"))).containsExactly("o@x.org");
        }
    }

    @Nested
    @DisplayName("operations that name one attribute alone")
    class NameOnly {
        @Test
        @DisplayName("Okta's and Entra's deactivations name active alone, in any case and with the core URN")
        void deactivationsNameActiveAlone() {
            assertThat(PatchEngine.nameOnly(USERS, "active", ops("{'op': 'replace', 'value': {'active': false}}")))
                    .isTrue();
            assertThat(PatchEngine.nameOnly(USERS, "active", ops("{'op': 'Replace', 'path': 'active', 'value': 'False'}")))
                    .isTrue();
            assertThat(PatchEngine.nameOnly(USERS, "active", ops("{'op': 'add', 'path': 'ACTIVE', 'value': true}",
                    "{'op': 'remove', 'path': '" + ScimUrns.USER + ":active'}"))).isTrue();
        }

        @Test
        @DisplayName("an operation that names anything else, or active with more, does not")
        void anythingElseIsMore() {
            assertThat(PatchEngine.nameOnly(USERS, "active", ops("{'op': 'replace', 'path': 'active', 'value': false}",
                    "{'op': 'replace', 'path': 'title', 'value': 'Chief'}"))).isFalse();
            assertThat(PatchEngine.nameOnly(USERS, "active",
                    ops("{'op': 'replace', 'value': {'active': false, 'title': 'Chief'}}"))).isFalse();
            assertThat(PatchEngine.nameOnly(USERS, "active",
                    ops("{'op': 'replace', 'value': {'" + ScimUrns.USER + "': {'active': false}}}"))).isFalse();
            assertThat(PatchEngine.nameOnly(USERS, "active", ops("{'op': 'replace', 'path': '" + TOOLJET
                    + ":role', 'value': 'admin'}"))).isFalse();
            assertThat(PatchEngine.nameOnly(USERS, "active", ops("{'op': 'replace', 'path': 'active.value', "
                    + "'value': false}"))).isFalse();
        }
    }

    static List<String> primaries(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> {
            if (v.path("primary").asBoolean(false)) {
                out.add(v.path("value").asText());
            }
        });
        return out;
    }
}
