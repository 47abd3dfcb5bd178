package dev.scimserver.scim;

import static dev.scimserver.scim.ScimFixtures.ENTERPRISE;
import static dev.scimserver.scim.ScimFixtures.JSON;
import static dev.scimserver.scim.ScimFixtures.TOOLJET;
import static dev.scimserver.scim.ScimFixtures.USERS;
import static dev.scimserver.scim.ScimFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What clients send, turned into the canonical tree (RFC 7643 §2 and the IdP shapes of idp-behaviour.md). */
class ResourceNormalizerTest {

    static ObjectNode normalize(String body) {
        return ResourceNormalizer.normalize(USERS, json(body));
    }

    static void assertInvalidValue(String body) {
        assertThatThrownBy(() -> normalize(body))
                .as(body)
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).contains(ScimType.INVALID_VALUE);
                });
    }

    @Test
    @DisplayName("attribute names match in any case and come out in the schema's spelling (RFC 7643 §2.1)")
    void namesAreCaseInsensitiveAndCanonical() {
        ObjectNode out = normalize("""
                {'USERNAME': 'bjensen', 'Name': {'GivenName': 'Barbara', 'FAMILYNAME': 'Jensen'},
                 'Emails': [{'Value': 'b@x.org', 'TYPE': 'work', 'Primary': 'True'}],
                 'ACTIVE': true}""");
        assertThat(out).isEqualTo(json("""
                {'userName': 'bjensen', 'name': {'givenName': 'Barbara', 'familyName': 'Jensen'},
                 'emails': [{'value': 'b@x.org', 'type': 'work', 'primary': true}],
                 'active': true}"""));
    }

    @Test
    @DisplayName("an attribute named twice, in two cases or bare and under its URN, is 400 invalidSyntax")
    void anAttributeNamedTwiceIsRefused() {
        for (String body : new String[] {"{'userName': 'a', 'USERNAME': 'b'}",
            "{'userName': 'a', 'urn:ietf:params:scim:schemas:core:2.0:User:userName': 'b'}",
            "{'userName': 'a', 'name': {'givenName': 'x', 'GIVENNAME': 'y'}}",
            "{'userName': 'a', '" + ENTERPRISE + "': {'department': 'x'}, '" + ENTERPRISE.toUpperCase() + "': {'DEPARTMENT': 'y'}}",
            "{'userName': 'a', '" + ENTERPRISE + "': {'department': 'x'}, 'department': 'y'}"}) {
            assertThatThrownBy(() -> normalize(body)).as(body).isInstanceOfSatisfying(ScimException.class,
                    e -> assertThat(e.scimType()).contains(ScimType.INVALID_SYNTAX));
        }
        // Two spellings of one extension that name different attributes are one extension.
        ObjectNode out = normalize("{'userName': 'a', '" + ENTERPRISE + "': {'department': 'x'}, '"
                + ENTERPRISE.toUpperCase() + "': {'division': 'y'}}");
        assertThat(out.get(ENTERPRISE)).isEqualTo(json("{'department': 'x', 'division': 'y'}"));
    }

    @Test
    @DisplayName("values PATCH takes for one (the same value as caseExact compares, the same type) are merged into one")
    void repeatedValuesAreMergedAsPatchComparesThem() {
        // emails.value is not caseExact: a PATCH of either would find both and refuse to leave two the same.
        ObjectNode out = normalize("{'userName': 'b', 'emails': [{'value': 'd@contoso.com', 'type': 'work'},"
                + " {'value': 'D@contoso.com', 'type': 'Work', 'display': 'D'}, {'value': 'd@contoso.com', 'type': 'home'}]}");
        assertThat(out.get("emails")).isEqualTo(JSON.valueToTree(List.of(
                json("{'value': 'D@contoso.com', 'type': 'Work', 'display': 'D'}"),
                json("{'value': 'd@contoso.com', 'type': 'home'}"))));
        // The primary flag of either is kept, and two primaries that are one value are one primary.
        assertThat(normalize("{'userName': 'b', 'emails': [{'value': 'x@y.org', 'type': 'work', 'primary': true},"
                + " {'value': 'x@y.org', 'type': 'work'}]}").get("emails"))
                .isEqualTo(JSON.valueToTree(List.of(json("{'value': 'x@y.org', 'type': 'work', 'primary': true}"))));
        assertThat(normalize("{'userName': 'b', 'emails': [{'value': 'x@y.org', 'primary': true},"
                + " {'value': 'X@Y.org', 'primary': true}]}").get("emails")).hasSize(1);
        // Distinct values and types stay apart; so do values of a caseExact attribute that differ in case.
        assertThat(normalize("{'userName': 'b', 'emails': [{'value': 'a@y.org', 'type': 'work'},"
                + " {'value': 'b@y.org', 'type': 'work'}]}").get("emails")).hasSize(2);
        assertThat(normalize("{'userName': 'b', 'x509Certificates': [{'value': 'QUJD'}, {'value': 'qujd'}]}")
                .get("x509Certificates")).hasSize(2);
    }

    @Test
    @DisplayName("a value without content (an email with no address, an address with only a type) is no value")
    void aValueWithoutContentIsNoValue() {
        // OneLogin's and JumpCloud's templates send the slots they have no data for, null or empty: kept, each
        // was a "value" a filter never finds and a PATCH drops as no value at all.
        ObjectNode out = normalize("{'userName': 'b', 'emails': [{'value': 'e@x.org', 'primary': true},"
                + " {'value': null, 'type': 'home'}, {'value': '', 'type': 'work', 'primary': false}],"
                + " 'phoneNumbers': [{'type': 'mobile'}], 'addresses': [{'type': 'work', 'primary': true},"
                + " {'type': 'home', 'locality': 'Oslo'}]}");
        assertThat(out.get("emails")).isEqualTo(JSON.valueToTree(List.of(json("{'value': 'e@x.org', 'primary': true}"))));
        assertThat(out.has("phoneNumbers")).isFalse();
        assertThat(out.get("addresses")).isEqualTo(JSON.valueToTree(List.of(json("{'type': 'home', 'locality': 'Oslo'}"))));
        // A primary flag on a value without content marks nothing: it does not count against the real primary.
        assertThat(normalize("{'userName': 'b', 'emails': [{'value': 'e@x.org', 'primary': true},"
                + " {'value': '', 'type': 'work', 'primary': true}]}").get("emails")).hasSize(1);
    }

    @Test
    @DisplayName("a multi-valued attribute holds at most MAX_VALUES values, else 400 invalidValue")
    void aMultiValuedAttributeIsBounded() {
        StringBuilder emails = new StringBuilder();
        for (int i = 0; i < ResourceNormalizer.MAX_VALUES; i++) {
            emails.append(i == 0 ? "" : ", ").append("{'value': 'e").append(i).append("@example.com'}");
        }
        assertThat(normalize("{'userName': 'b', 'emails': [" + emails + "]}").get("emails"))
                .hasSize(ResourceNormalizer.MAX_VALUES);
        assertThatThrownBy(() -> normalize("{'userName': 'b', 'emails': [" + emails + ", {'value': 'last@example.com'}]}"))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_VALUE));
    }

    @Test
    @DisplayName("a binary value is base64 (RFC 7643 §2.3.6), else 400 invalidValue")
    void binaryValuesAreBase64() {
        ObjectNode out = normalize("{'userName': 'b', 'x509Certificates': [{'value': 'TUlJREl6Q0NBbytnQXdJQkFnSUpBSUxs'}]}");
        assertThat(out.get("x509Certificates").get(0).get("value").asText()).isEqualTo("TUlJREl6Q0NBbytnQXdJQkFnSUpBSUxs");
        for (String value : new String[] {"!!!not base64", "TUlJ\\nREl6", "abc=d"}) {
            assertThatThrownBy(() -> normalize("{'userName': 'b', 'x509Certificates': [{'value': '" + value + "'}]}"))
                    .as(value).isInstanceOfSatisfying(ScimException.class,
                            e -> assertThat(e.scimType()).contains(ScimType.INVALID_VALUE));
        }
    }

    @Test
    @DisplayName("Entra's \"Manager\": {\"Value\": …} under the extension URN in any case")
    void managerInAnyCase() {
        ObjectNode out = normalize("{'userName': 'b', '" + ENTERPRISE.toUpperCase() + "': {'Manager': {'Value': 'm-1'},"
                + " 'Department': 'Tours'}}");
        assertThat(out.get(ENTERPRISE)).isEqualTo(json("{'manager': {'value': 'm-1'}, 'department': 'Tours'}"));
    }

    @Test
    @DisplayName("a manager given as a bare id means its value")
    void managerAsBareId() {
        ObjectNode out = normalize("{'userName': 'b', '" + ENTERPRISE + "': {'manager': 'm-1'}}");
        assertThat(out.get(ENTERPRISE)).isEqualTo(json("{'manager': {'value': 'm-1'}}"));
    }

    @Test
    @DisplayName("extension attributes written at top level, bare or URN-qualified, land under their schema URN")
    void extensionAttributesAtTopLevel() {
        ObjectNode out = normalize("{'userName': 'b', 'employeeNumber': '7', '" + ENTERPRISE + ":costCenter': '41',"
                + " '" + TOOLJET + ":role': 'admin'}");
        assertThat(out.get(ENTERPRISE)).isEqualTo(json("{'employeeNumber': '7', 'costCenter': '41'}"));
        assertThat(out.get(TOOLJET)).isEqualTo(json("{'role': 'admin'}"));
    }

    @Test
    @DisplayName("a core attribute may be qualified by the core schema URN")
    void coreUrnQualifiedName() {
        ObjectNode out = normalize("{'" + ScimUrns.USER + ":userName': 'b'}");
        assertThat(out).isEqualTo(json("{'userName': 'b'}"));
    }

    @Test
    @DisplayName("attributes no schema defines are ignored, and so are SCIM 1.1 URNs (OneLogin templates)")
    void unknownAttributesIgnored() {
        ObjectNode out = normalize("""
                {'schemas': ['urn:scim:schemas:core:1.0', 'urn:ietf:params:scim:schemas:core:2.0:User'],
                 'userName': 'b', 'favouriteColour': 'blue', 'name': {'givenName': 'B', 'nickname': 'x'},
                 'urn:scim:schemas:extension:enterprise:1.0': {'employeeNumber': '7'},
                 'urn:scim:schemas:core:1.0:displayName': 'B',
                 'urn:ietf:params:scim:schemas:extension:unknown:2.0:User': {'x': 1},
                 'emails': [{'value': 'b@x.org', 'weird': true}]}""");
        assertThat(out).isEqualTo(json("{'userName': 'b', 'name': {'givenName': 'B'}, 'emails': [{'value': 'b@x.org'}]}"));
    }

    @Test
    @DisplayName("read-only attributes a client echoes back (id, meta, groups, manager.displayName) are ignored")
    void readOnlyIgnored() {
        ObjectNode out = normalize("""
                {'id': '2819c223', 'userName': 'b',
                 'meta': {'resourceType': 'User', 'created': '2025-01-01T00:00:00Z'},
                 'groups': [{'value': 'g1', 'display': 'Tour Guides'}],
                 '%s': {'manager': {'value': 'm-1', 'displayName': 'Boss'}}}""".formatted(ENTERPRISE));
        assertThat(out).isEqualTo(json("{'userName': 'b', '" + ENTERPRISE + "': {'manager': {'value': 'm-1'}}}"));
    }

    @Test
    @DisplayName("null, \"\" and [] all mean unassigned: nothing is stored for them (RFC 7643 §2.5)")
    void unassignedValuesDropped() {
        ObjectNode out = normalize("""
                {'userName': 'b', 'title': null, 'nickName': '', 'roles': [], 'emails': [null, {'value': ''}],
                 'name': {'givenName': null, 'familyName': ''}, 'active': '',
                 '%s': null, '%s': {'department': null, 'manager': {'value': ''}}}""".formatted(TOOLJET, ENTERPRISE));
        assertThat(out).isEqualTo(json("{'userName': 'b'}"));
    }

    @Test
    @DisplayName("Entra's create body: schemas, meta, roles [] and explicit nulls are all accepted")
    void entraCreateBody() {
        ObjectNode out = normalize("""
                {'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', '%s'],
                 'externalId': 'jyoung', 'userName': 'jyoung@x.onmicrosoft.com', 'active': 'True',
                 'emails': [{'primary': true, 'type': 'work', 'value': 'jyoung@x.org'}],
                 'meta': {'resourceType': 'User'},
                 'name': {'formatted': 'J Young', 'familyName': 'Young', 'givenName': 'J'},
                 'roles': [], 'title': null, 'preferredLanguage': null}""".formatted(ENTERPRISE));
        assertThat(out).isEqualTo(json("""
                {'externalId': 'jyoung', 'userName': 'jyoung@x.onmicrosoft.com', 'active': true,
                 'emails': [{'primary': true, 'type': 'work', 'value': 'jyoung@x.org'}],
                 'name': {'formatted': 'J Young', 'familyName': 'Young', 'givenName': 'J'}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'True'", "'true'", "' TRUE '", "true"})
    @DisplayName("booleans sent as strings are coerced")
    void booleanStringsTrue(String value) {
        assertThat(normalize("{'userName': 'b', 'active': " + value + "}").get("active"))
                .isEqualTo(JSON.getNodeFactory().booleanNode(true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"'False'", "'false'", "false"})
    @DisplayName("the string False is the boolean false")
    void booleanStringsFalse(String value) {
        assertThat(normalize("{'userName': 'b', 'active': " + value + "}").get("active"))
                .isEqualTo(JSON.getNodeFactory().booleanNode(false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{'userName': 'b', 'active': 'abc'}",
            "{'userName': 'b', 'active': 1}",
            "{'userName': 'b', 'active': 'yes'}",
            "{'userName': {'value': 'b'}}",
            "{'userName': ['b']}",
            "{'userName': 'b', 'name': 'Barbara Jensen'}",
            "{'userName': 'b', 'name': {'givenName': {'x': 1}}}",
            "{'userName': 'b', 'name': [{'givenName': 'B'}]}",
            "{'userName': 'b', 'emails': [{'value': ['a']}]}",
            "{'userName': 'b', 'emails': [{'primary': 'maybe', 'value': 'a'}]}",
            "{'userName': 'b', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': 'x'}",
            "{'userName': 'b', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {'manager': ['m']}}",
    })
    @DisplayName("a value of the wrong type is 400 invalidValue")
    void badTypesRefused(String body) {
        assertInvalidValue(body);
    }

    @Test
    @DisplayName("two values with primary true in one attribute are 400 invalidValue (RFC 7643 §2.4)")
    void twoPrimariesRefused() {
        assertInvalidValue("{'userName': 'b', 'emails': [{'value': 'a@x', 'primary': true},"
                + " {'value': 'b@x', 'primary': 'True'}]}");
        assertThat(normalize("{'userName': 'b', 'emails': [{'value': 'a@x', 'primary': true},"
                + " {'value': 'b@x', 'primary': false}]}").get("emails")).hasSize(2);
    }

    @Test
    @DisplayName("duplicate values of a multi-valued attribute are kept once, primary when one of them was")
    void duplicateValuesKeptOnce() {
        ObjectNode out = normalize("{'userName': 'b', 'emails': [{'value': 'a@x', 'primary': true},"
                + " {'value': 'a@x', 'primary': true}, {'value': 'a@x'}]}");
        assertThat(out.get("emails")).isEqualTo(JSON.valueToTree(List.of(json("{'value': 'a@x', 'primary': true}"))));
    }

    @Test
    @DisplayName("a single value for a multi-valued attribute is a one-element array")
    void singleValueForMultiValued() {
        ObjectNode out = normalize("{'userName': 'b', 'emails': {'value': 'a@x'}, 'phoneNumbers': '555'}");
        assertThat(out.get("emails")).isEqualTo(JSON.valueToTree(List.of(json("{'value': 'a@x'}"))));
        assertThat(out.get("phoneNumbers")).isEqualTo(JSON.valueToTree(List.of(json("{'value': '555'}"))));
    }

    @Test
    @DisplayName("a body that is no JSON object is 400 invalidSyntax")
    void nonObjectBody() {
        for (JsonNode body : List.of(JSON.createArrayNode(), TextNode.valueOf("x"), JSON.nullNode())) {
            assertThatThrownBy(() -> ResourceNormalizer.normalize(USERS, body))
                    .isInstanceOfSatisfying(ScimException.class,
                            e -> assertThat(e.scimType()).contains(ScimType.INVALID_SYNTAX));
        }
        assertThatThrownBy(() -> ResourceNormalizer.normalize(USERS, null)).isInstanceOf(ScimException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2025-01-31T12:00:00Z", "2025-01-31T12:00:00+02:00", "2025-01-31T12:00:00.1234567-05:30",
            "2008-01-23T04:56:22.000Z"})
    @DisplayName("a dateTime is an xsd:dateTime with an offset (RFC 7643 §2.3.5), kept as sent")
    void validDateTimes(String text) {
        assertThat(ResourceNormalizer.simpleValue(metaCreated(), TextNode.valueOf(text), "meta.created"))
                .isEqualTo(TextNode.valueOf(text));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2025-01-31", "2025-01-31T12:00:00", "31/01/2025 12:00", "yesterday",
            "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z"})
    @DisplayName("a dateTime without offset, or no dateTime at all, is 400 invalidValue")
    void invalidDateTimes(String text) {
        assertThatThrownBy(() -> ResourceNormalizer.simpleValue(metaCreated(), TextNode.valueOf(text), "meta.created"))
                .isInstanceOfSatisfying(ScimException.class,
                        e -> assertThat(e.scimType()).contains(ScimType.INVALID_VALUE));
        assertThatThrownBy(() -> ResourceNormalizer.simpleValue(metaCreated(),
                JSON.getNodeFactory().numberNode(1_700_000_000L), "meta.created"))
                .isInstanceOf(ScimException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z", "0000-12-31T00:00:00Z",
            "-0001-01-01T00:00:00Z", "2025-01-31T12:00:00+16:00", "2025-01-31T12:00:00-17:00"})
    @DisplayName("a dateTime Java reads but PostgreSQL's timestamptz does not (year, offset) is 400 invalidValue")
    void dateTimesBeyondTheDatabase(String text) {
        assertThatThrownBy(() -> ResourceNormalizer.simpleValue(metaCreated(), TextNode.valueOf(text), "meta.created"))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).contains(ScimType.INVALID_VALUE);
                    assertThat(e.detail()).contains("1 to 9999");
                });
    }

    @Test
    @DisplayName("userName, the addresses of emails and a Group's displayName are kept trimmed and in NFC")
    void namesAreKeptCanonical() {
        ObjectNode user = normalize("{'userName':' ren\u0065\u0301@x.com\\t','displayName':' Ren\u0065\u0301 ',"
                + "'externalId':' ext ','emails':[{'value':'\u3000ren\u00e9@x.com ','display':' Ren '}]}");
        assertThat(user.path("userName").asText()).isEqualTo("ren\u00e9@x.com");
        assertThat(user.path("emails").get(0).path("value").asText()).isEqualTo("ren\u00e9@x.com");
        // The others are kept as sent: prose, and another system's key.
        assertThat(user.path("displayName").asText()).isEqualTo(" Ren\u0065\u0301 ");
        assertThat(user.path("externalId").asText()).isEqualTo(" ext ");
        assertThat(user.path("emails").get(0).path("display").asText()).isEqualTo(" Ren ");
        ObjectNode group = ResourceNormalizer.normalize(ScimFixtures.GROUPS, json("{'displayName':' Caf\u0065\u0301 '}"));
        assertThat(group.path("displayName").asText()).isEqualTo("Caf\u00e9");
        assertThat(normalize("{'userName':'   '}").has("userName")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"userName", "displayName", "externalId", "emails"})
    @DisplayName("the attributes the store indexes are bounded at 256 characters, not UTF-16 units")
    void indexedAttributesAreBounded(String attribute) {
        String atLimit = "\uD83D\uDE00".repeat(Names.MAX_LENGTH);
        String body = attribute.equals("emails") ? "{'userName':'u','emails':[{'value':'%s'}]}"
                : "{'userName':'u','" + attribute + "':'%s'}";
        assertThat(normalize(body.formatted(atLimit)).toString()).contains(atLimit);
        assertThatThrownBy(() -> normalize(body.formatted(atLimit + "x")))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.scimType()).contains(ScimType.INVALID_VALUE);
                    assertThat(e.detail()).contains(attribute).contains("256 characters");
                });
        assertThat(normalize("{'userName':'u','nickName':'%s'}".formatted("n".repeat(3_000))).path("nickName")
                .asText()).hasSize(3_000);
    }

    @Test
    @DisplayName("an empty dateTime is unassigned")
    void emptyDateTime() {
        assertThat(ResourceNormalizer.simpleValue(metaCreated(), TextNode.valueOf(""), "meta.created")).isNull();
        assertThat(ResourceNormalizer.simpleValue(metaCreated(), JSON.nullNode(), "meta.created")).isNull();
    }

    private static AttributeDefinition metaCreated() {
        return USERS.commonAttribute("meta").flatMap(m -> m.subAttribute("created")).orElseThrow();
    }
}
