package dev.scimserver.app;

import static dev.scimserver.app.ScimValues.*;
import static dev.scimserver.app.Exchange.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Microsoft Entra ID's provisioning service, request by request, as {@code idp-behaviour.md} lists
 * it: the default mode (capitalised ops, booleans as strings, one operation per attribute, member
 * changes as value arrays) and the {@code aadOptscim062020} flag (lower-case ops, path-less replace
 * with dotted and URN keys, member removal by filter). Real HTTP against the real server.
 */
class EntraProvisioningTest {
    private static final RunningServer SERVER = RunningServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    // ---------------------------------------------------------------- Test Connection and lookups

    @Test
    void testConnectionFilterOnRandomGuidAnswersAnEmptyList() {
        String guid = UUID.randomUUID().toString();
        for (String filter : List.of("userName eq \"" + guid + "\"", "id eq \"" + guid + "\"",
                "externalId eq \"" + guid + "\"")) {
            JsonNode list = get("/Users?filter=" + enc(filter)).expect(200);
            assertEmptyList(list);
        }
        JsonNode groups = get("/Groups?excludedAttributes=members&filter=" + enc("displayName eq \"" + guid + "\""))
                .expect(200);
        assertEmptyList(groups);
    }

    @Test
    void usersAreFoundByUserNameExternalIdUnquotedAndWorkEmail() {
        String suffix = suffix();
        String upn = "Lookup.User." + suffix + "@contoso.onmicrosoft.com";
        String externalId = "jyoung" + suffix;
        String email = "lookup." + suffix + "@contoso.com";
        String id = post("/Users", createUserBody(upn, externalId, email, "True")).expect(201).path("id").asText();

        assertSingle(get("/Users?filter=" + enc("userName eq \"" + upn + "\"")).expect(200), id);
        // Entra's own documentation shows the value unquoted.
        assertSingle(get("/Users?filter=" + enc("externalId eq " + externalId)).expect(200), id);
        assertSingle(get("/Users?filter=" + enc("externalId eq \"" + externalId + "\"")).expect(200), id);
        assertEmptyList(get("/Users?filter=" + enc("externalId eq jyoung" + suffix())).expect(200));
        // An unquoted value that reads as a number is still matched as the text sent, not as 1E+3.
        for (String written : List.of("1e3", "1.50", "-0", "0.0000001")) {
            String numberId = post("/Users", createUserBody("num." + written + "." + suffix + "@contoso.onmicrosoft.com",
                    written, "num." + written + "." + suffix + "@contoso.com", "True")).expect(201).path("id").asText();
            assertThat(get("/Users?filter=" + enc("externalId eq " + written)).expect(200).path("Resources")
                    .findValuesAsText("id")).contains(numberId);
            delete("/Users/" + numberId).expect(204);
        }
        assertEmptyList(get("/Users?filter=" + enc("userName eq \"nobody." + suffix + "@contoso.com\"")).expect(200));
    }

    /**
     * Entra keeps one value per type and updates it by a filter on the type. A user another client gave
     * two work emails, or one email in two cases, must not fail every later sync with a 400: values the
     * replace leaves the same are one value (RFC 7643 §2.4), and a POST keeps such values once.
     */
    @Test
    void aWorkEmailUpdateOfAUserWithTwoWorkEmailsLeavesOne() {
        String suffix = suffix();
        String id = post("/Users", """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"two.%1$s@contoso.com",
                 "emails":[{"type":"work","value":"a.%1$s@contoso.com"},{"type":"work","value":"b.%1$s@contoso.com"},
                           {"type":"work","value":"A.%1$s@CONTOSO.COM","primary":true}]}""".formatted(suffix))
                .expect(201).path("id").asText();
        JsonNode created = get("/Users/" + id).expect(200);
        assertThat(created.path("emails")).hasSize(2);
        assertThat(created.path("emails").get(0).path("value").asText()).isEqualTo("A." + suffix + "@CONTOSO.COM");
        assertThat(created.path("emails").get(0).path("primary").asBoolean()).isTrue();

        String replaced = "new." + suffix + "@contoso.com";
        JsonNode patched = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"%s"}
                """.formatted(replaced))).expect(200);
        assertThat(patched.path("emails")).hasSize(1);
        assertThat(patched.path("emails").get(0).path("value").asText()).isEqualTo(replaced);
        assertThat(patched.path("emails").get(0).path("primary").asBoolean()).isTrue();
        assertSingle(get("/Users?filter=" + enc("emails[type eq \"work\"].value eq \"" + replaced + "\"")).expect(200), id);
    }

    @Test
    void usersAreFoundByTheNonRfcWorkEmailFilter() {
        String suffix = suffix();
        String email = "mail." + suffix + "@contoso.com";
        String id = post("/Users", createUserBody("mail." + suffix + "@contoso.onmicrosoft.com", "mail" + suffix, email,
                "True")).expect(201).path("id").asText();
        assertSingle(get("/Users?filter=" + enc("emails[type eq \"work\"].value eq \"" + email + "\"")).expect(200), id);
        // Attribute names, operators and the email value compare case-insensitively.
        assertSingle(get("/Users?filter=" + enc("Emails[Type EQ \"work\"].Value Eq \"" + email.toUpperCase(
                java.util.Locale.ROOT) + "\"")).expect(200), id);
        assertEmptyList(get("/Users?filter=" + enc("emails[type eq \"home\"].value eq \"" + email + "\"")).expect(200));
        assertEmptyList(get("/Users?filter=" + enc("emails[type eq \"work\"].value eq \"nobody." + suffix
                + "@contoso.com\"")).expect(200));

        // A work email added later by PATCH is found the same way.
        String added = "added." + suffix + "@contoso.com";
        String other = createUser("other." + suffix + "@contoso.onmicrosoft.com");
        patch("/Users/" + other, ops("""
                {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"%s"}
                """.formatted(added))).expect(200);
        assertSingle(get("/Users?filter=" + enc("emails[type eq \"work\"].value eq \"" + added + "\"")).expect(200),
                other);
    }

    // ---------------------------------------------------------------- create

    @Test
    void createWithCoreAndEnterpriseSchemasStringBooleanMetaEmptyRolesAndExplicitNulls() {
        String suffix = suffix();
        String upn = "Test_User_" + suffix + "@contoso.onmicrosoft.com";
        String body = """
                {
                  "schemas": ["%s", "%s"],
                  "externalId": "ext-%s",
                  "userName": "%s",
                  "active": "True",
                  "displayName": null,
                  "title": null,
                  "nickName": null,
                  "preferredLanguage": null,
                  "emails": [{"primary": true, "type": "work", "value": "Test_User_%s@contoso.com"}],
                  "meta": {"resourceType": "User"},
                  "name": {"formatted": "Test User", "familyName": "User", "givenName": "Test"},
                  "roles": [],
                  "phoneNumbers": null,
                  "addresses": null,
                  "%s": {"employeeNumber": null, "department": "Sales", "manager": null}
                }
                """.formatted(CORE, ENTERPRISE, suffix, upn, suffix, ENTERPRISE);
        Exchange created = post("/Users", body);
        JsonNode user = created.expect(201);

        String id = user.path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(created.response().headers().firstValue("Location")).as(created.describe())
                .hasValue(user.path("meta").path("location").asText());
        assertThat(user.path("userName").asText()).isEqualTo(upn);
        assertThat(user.path("externalId").asText()).isEqualTo("ext-" + suffix);
        assertThat(user.path("active").isBoolean()).as("active is a JSON boolean: %s", user).isTrue();
        assertThat(user.path("active").booleanValue()).isTrue();
        assertThat(user.path("name").path("givenName").asText()).isEqualTo("Test");
        assertThat(user.path("name").path("familyName").asText()).isEqualTo("User");
        assertThat(user.path("emails").get(0).path("value").asText()).isEqualTo("Test_User_" + suffix + "@contoso.com");
        assertThat(user.path("emails").get(0).path("type").asText()).isEqualTo("work");
        assertThat(user.path("emails").get(0).path("primary").booleanValue()).isTrue();
        assertThat(user.path(ENTERPRISE).path("department").asText()).isEqualTo("Sales");
        assertThat(schemas(user)).contains(CORE, ENTERPRISE);
        assertUnassigned(user, "title");
        assertUnassigned(user, "nickName");
        assertUnassigned(user, "phoneNumbers");
        assertUnassigned(user, "addresses");
        assertUnassigned(user.path(ENTERPRISE), "employeeNumber");
        assertUnassigned(user.path(ENTERPRISE), "manager");
        assertThat(user.path("roles").isMissingNode() || user.path("roles").isNull() || user.path("roles").isEmpty())
                .as("roles: [] is unassigned: %s", user).isTrue();
        assertThat(user.path("meta").path("resourceType").asText()).isEqualTo("User");
        assertThat(user.path("meta").path("created").asText()).isNotBlank();
        assertThat(user.path("meta").path("location").asText()).endsWith("/Users/" + id);

        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("userName").asText()).isEqualTo(upn);
        assertThat(read.path("active").booleanValue()).isTrue();
        assertThat(read.path(ENTERPRISE).path("department").asText()).isEqualTo("Sales");
    }

    // ---------------------------------------------------------------- updates, default mode

    @Test
    void capitalisedReplaceOneOperationPerAttributeCreatesMissingValuePathEntries() {
        String suffix = suffix();
        String upn = "update." + suffix + "@contoso.onmicrosoft.com";
        // A home email only, no addresses or phone numbers: the value paths below match nothing and must create.
        String homeEmail = "home." + suffix + "@example.net";
        String id = post("/Users", """
                {"schemas":["%s","%s"],"externalId":"old-%s","userName":"%s","active":true,
                 "name":{"givenName":"Up","familyName":"Date"},"emails":[{"type":"home","value":"%s"}]}
                """.formatted(CORE, ENTERPRISE, suffix, upn, homeEmail)).expect(201).path("id").asText();

        String workEmail = "work." + suffix + "@contoso.com";
        JsonNode afterEmail = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"%s"}
                """.formatted(workEmail))).expect(200);
        assertThat(afterEmail.path("emails")).as("work email created beside the home one: %s", afterEmail).hasSize(2);
        assertThat(typed(afterEmail.path("emails"), "work").path("value").asText()).isEqualTo(workEmail);
        assertThat(typed(afterEmail.path("emails"), "home").path("value").asText()).isEqualTo(homeEmail);

        String newUpn = "renamed." + suffix + "@contoso.onmicrosoft.com";
        JsonNode updated = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"name.familyName","value":"Young"},
                {"op":"Replace","path":"userName","value":"%s"},
                {"op":"Replace","path":"externalId","value":"new-%s"},
                {"op":"Replace","path":"%s:employeeNumber","value":"4711"},
                {"op":"Replace","path":"addresses[type eq \\"work\\"].streetAddress","value":"1 Microsoft Way"},
                {"op":"Add","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 425 555 0100"}
                """.formatted(newUpn, suffix, ENTERPRISE))).expect(200);
        assertThat(updated.path("name").path("familyName").asText()).isEqualTo("Young");
        assertThat(updated.path("name").path("givenName").asText()).isEqualTo("Up");
        assertThat(updated.path("userName").asText()).isEqualTo(newUpn);
        assertThat(updated.path("externalId").asText()).isEqualTo("new-" + suffix);
        assertThat(updated.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("4711");
        assertThat(updated.path("addresses")).as("work address created: %s", updated).hasSize(1);
        assertThat(updated.path("addresses").get(0).path("type").asText()).isEqualTo("work");
        assertThat(updated.path("addresses").get(0).path("streetAddress").asText()).isEqualTo("1 Microsoft Way");
        assertThat(updated.path("phoneNumbers")).as("mobile phone created: %s", updated).hasSize(1);
        assertThat(updated.path("phoneNumbers").get(0).path("type").asText()).isEqualTo("mobile");
        assertThat(updated.path("phoneNumbers").get(0).path("value").asText()).isEqualTo("+1 425 555 0100");

        // A second change of the same entries updates them in place: type values stay unique.
        String otherEmail = "other." + suffix + "@contoso.com";
        JsonNode again = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"%s"},
                {"op":"Replace","path":"addresses[type eq \\"work\\"].locality","value":"Redmond"},
                {"op":"Replace","path":"phoneNumbers[type eq \\"mobile\\"].value","value":"+1 425 555 0199"}
                """.formatted(otherEmail))).expect(200);
        assertThat(again.path("emails")).as("%s", again).hasSize(2);
        assertThat(typed(again.path("emails"), "work").path("value").asText()).isEqualTo(otherEmail);
        assertThat(typed(again.path("emails"), "home").path("value").asText()).isEqualTo(homeEmail);
        assertThat(again.path("addresses")).hasSize(1);
        assertThat(again.path("addresses").get(0).path("streetAddress").asText()).isEqualTo("1 Microsoft Way");
        assertThat(again.path("addresses").get(0).path("locality").asText()).isEqualTo("Redmond");
        assertThat(again.path("phoneNumbers")).hasSize(1);
        assertThat(again.path("phoneNumbers").get(0).path("value").asText()).isEqualTo("+1 425 555 0199");

        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("userName").asText()).isEqualTo(newUpn);
        assertThat(read.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("4711");
        assertThat(typed(read.path("emails"), "work").path("value").asText()).isEqualTo(otherEmail);
        assertSingle(get("/Users?filter=" + enc("userName eq \"" + newUpn + "\"")).expect(200), id);
        assertSingle(get("/Users?filter=" + enc("externalId eq new-" + suffix)).expect(200), id);
        assertEmptyList(get("/Users?filter=" + enc("userName eq \"" + upn + "\"")).expect(200));
    }

    @Test
    void addWithAValuePathThatMatchesNothingCreatesTheWorkEmail() {
        String suffix = suffix();
        String id = post("/Users", """
                {"schemas":["%s","%s"],"userName":"addemail.%s@contoso.onmicrosoft.com","active":true,
                 "name":{"givenName":"Add","familyName":"Email"},"emails":[{"type":"other","value":"o.%s@example.net"}]}
                """.formatted(CORE, ENTERPRISE, suffix, suffix)).expect(201).path("id").asText();
        String email = "added." + suffix + "@contoso.com";
        JsonNode user = patch("/Users/" + id, ops("""
                {"op":"Add","path":"emails[type eq \\"work\\"].value","value":"%s"}
                """.formatted(email))).expect(200);
        assertThat(user.path("emails")).as("%s", user).hasSize(2);
        assertThat(typed(user.path("emails"), "work").path("value").asText()).isEqualTo(email);
        assertThat(typed(user.path("emails"), "other").path("value").asText()).isEqualTo("o." + suffix + "@example.net");
    }

    @Test
    void emptyOrNullReplaceClearsAnOptionalAttribute() {
        String suffix = suffix();
        String id = post("/Users", """
                {"schemas":["%s","%s"],"userName":"clear.%s@contoso.onmicrosoft.com","active":true,
                 "name":{"givenName":"Clear","familyName":"Able"},"emails":[{"type":"work","value":"clear.%s@contoso.com"}],
                 "title":"Engineer","nickName":"Nick","%s":{"department":"Sales"}}
                """.formatted(CORE, ENTERPRISE, suffix, suffix, ENTERPRISE)).expect(201).path("id").asText();
        JsonNode user = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"title","value":""},
                {"op":"Replace","path":"nickName","value":null},
                {"op":"Replace","path":"%s:department","value":""}
                """.formatted(ENTERPRISE))).expect(200);
        assertUnassigned(user, "title");
        assertUnassigned(user, "nickName");
        assertUnassigned(user.path(ENTERPRISE), "department");
        JsonNode read = get("/Users/" + id).expect(200);
        assertUnassigned(read, "title");
        assertUnassigned(read, "nickName");
    }

    // ---------------------------------------------------------------- manager

    @Test
    void managerIsAddedAsBareIdOrValueRefObjectProbedAndRemovedByEmptyReplace() {
        String userId = createUser("report." + suffix() + "@contoso.onmicrosoft.com");
        String managerId = createUser("boss." + suffix() + "@contoso.onmicrosoft.com");
        String otherManagerId = createUser("boss2." + suffix() + "@contoso.onmicrosoft.com");

        JsonNode withManager = patch("/Users/" + userId, ops("""
                {"op":"Add","path":"%s:manager","value":"%s"}
                """.formatted(ENTERPRISE, managerId))).expect(200);
        assertThat(withManager.path(ENTERPRISE).path("manager").path("value").asText())
                .as("%s", withManager).isEqualTo(managerId);
        assertThat(get("/Users/" + userId).expect(200).path(ENTERPRISE).path("manager").path("value").asText())
                .isEqualTo(managerId);

        String probe = "id eq \"" + userId + "\" and manager eq \"" + managerId + "\"";
        assertSingle(get("/Users?excludedAttributes=members&filter=" + enc(probe)).expect(200), userId);
        assertSingle(get("/Users?filter=" + enc(probe)).expect(200), userId);
        assertEmptyList(get("/Users?filter=" + enc("id eq \"" + userId + "\" and manager eq \""
                + otherManagerId + "\"")).expect(200));

        JsonNode changed = patch("/Users/" + userId, ops("""
                {"op":"Replace","path":"%s:manager","value":{"value":"%s","$ref":"%s/Users/%s"}}
                """.formatted(ENTERPRISE, otherManagerId, SERVER.baseUrl(), otherManagerId))).expect(200);
        assertThat(changed.path(ENTERPRISE).path("manager").path("value").asText()).as("%s", changed)
                .isEqualTo(otherManagerId);
        assertSingle(get("/Users?filter=" + enc("id eq \"" + userId + "\" and manager eq \"" + otherManagerId
                + "\"")).expect(200), userId);
        assertEmptyList(get("/Users?filter=" + enc(probe)).expect(200));

        JsonNode removed = patch("/Users/" + userId, ops("""
                {"op":"Replace","path":"%s:manager","value":""}
                """.formatted(ENTERPRISE))).expect(200);
        JsonNode manager = removed.path(ENTERPRISE).path("manager");
        assertThat(manager.isMissingNode() || manager.isNull() || manager.path("value").isMissingNode()
                || manager.path("value").asText().isEmpty()).as("manager removed: %s", removed).isTrue();
        assertEmptyList(get("/Users?filter=" + enc("id eq \"" + userId + "\" and manager eq \"" + otherManagerId
                + "\"")).expect(200));
    }

    @Test
    void managerAddedAsValueRefObject() {
        String userId = createUser("report2." + suffix() + "@contoso.onmicrosoft.com");
        String managerId = createUser("boss3." + suffix() + "@contoso.onmicrosoft.com");
        JsonNode user = patch("/Users/" + userId, ops("""
                {"op":"Add","path":"%s:manager","value":{"value":"%s","$ref":null}}
                """.formatted(ENTERPRISE, managerId))).expect(200);
        assertThat(user.path(ENTERPRISE).path("manager").path("value").asText()).as("%s", user).isEqualTo(managerId);
        assertSingle(get("/Users?filter=" + enc("id eq \"" + userId + "\" and manager eq \"" + managerId + "\""))
                .expect(200), userId);
    }

    // ---------------------------------------------------------------- disable

    @Test
    void disableWithStringFalseKeepsTheUserReadableAndFilterable() {
        String upn = "disable." + suffix() + "@contoso.onmicrosoft.com";
        String id = createUser(upn);
        JsonNode disabled = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"active","value":"False"}
                """)).expect(200);
        assertThat(disabled.path("active").isBoolean()).as("%s", disabled).isTrue();
        assertThat(disabled.path("active").booleanValue()).isFalse();

        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("active").booleanValue()).as("%s", read).isFalse();
        JsonNode byName = get("/Users?filter=" + enc("userName eq \"" + upn + "\"")).expect(200);
        assertSingle(byName, id);
        assertThat(byName.path("Resources").get(0).path("active").booleanValue()).isFalse();
        assertSingle(get("/Users?filter=" + enc("userName eq \"" + upn + "\" and active eq false")).expect(200), id);
        assertEmptyList(get("/Users?filter=" + enc("userName eq \"" + upn + "\" and active eq true")).expect(200));

        JsonNode inactive = get("/Users?count=1000&filter=" + enc("active eq false")).expect(200);
        assertThat(inactive.path("totalResults").asInt()).isGreaterThanOrEqualTo(1);
        inactive.path("Resources").forEach(u -> assertThat(u.path("active").booleanValue())
                .as("every user of 'active eq false' is inactive: %s", u).isFalse());
        if (inactive.path("totalResults").asInt() <= inactive.path("Resources").size()) {
            assertThat(ids(inactive)).contains(id);
        }

        JsonNode enabled = patch("/Users/" + id, ops("""
                {"op":"Replace","path":"active","value":"True"}
                """)).expect(200);
        assertThat(enabled.path("active").booleanValue()).as("%s", enabled).isTrue();
    }

    // ---------------------------------------------------------------- groups, default mode

    @Test
    void groupLifecycleWithValueArraysAndProbes() {
        String u1 = createUser("g1." + suffix() + "@contoso.onmicrosoft.com");
        String u2 = createUser("g2." + suffix() + "@contoso.onmicrosoft.com");
        String u3 = createUser("g3." + suffix() + "@contoso.onmicrosoft.com");
        String name = "Entra Group " + suffix();
        Exchange created = post("/Groups", """
                {"schemas":["%s"],"externalId":"%s","displayName":"%s","meta":{"resourceType":"Group"},"members":[]}
                """.formatted(GROUP, UUID.randomUUID(), name));
        JsonNode group = created.expect(201);
        String gid = group.path("id").asText();
        assertThat(group.path("displayName").asText()).isEqualTo(name);
        assertThat(group.path("members").isMissingNode() || group.path("members").isEmpty()).isTrue();
        assertThat(created.response().headers().firstValue("Location")).hasValue(group.path("meta").path("location").asText());

        Exchange added = patch("/Groups/" + gid, ops("""
                {"op":"Add","path":"members","value":[{"$ref":null,"value":"%s"},{"$ref":null,"value":"%s"}]}
                """.formatted(u1, u2)));
        added.expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactlyInAnyOrder(u1, u2);

        JsonNode slim = get("/Groups/" + gid + "?excludedAttributes=members").expect(200);
        assertThat(slim.has("members")).as("members excluded: %s", slim).isFalse();
        assertThat(slim.path("displayName").asText()).isEqualTo(name);
        assertThat(slim.path("id").asText()).isEqualTo(gid);

        JsonNode found = get("/Groups?excludedAttributes=members&filter=" + enc("displayName eq \"" + name + "\""))
                .expect(200);
        assertSingle(found, gid);
        assertThat(found.path("Resources").get(0).has("members")).as("%s", found).isFalse();

        patch("/Groups/" + gid, ops("""
                {"op":"Remove","path":"members","value":[{"value":"%s"}]}
                """.formatted(u1))).expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactly(u2);
        assertThat(u3).isNotIn(memberIds(get("/Groups/" + gid).expect(200)));

        // A list of members to remove that lists none removes none; only a remove without a value empties.
        for (String none : List.of("[]", "{}")) {
            patch("/Groups/" + gid, ops("""
                    {"op":"Remove","path":"members","value":%s}
                    """.formatted(none))).expect(204);
            assertThat(memberIds(get("/Groups/" + gid).expect(200))).as(none).containsExactly(u2);
        }

        String renamed = "Entra Renamed " + suffix();
        patch("/Groups/" + gid, ops("""
                {"op":"Replace","path":"displayName","value":"%s"}
                """.formatted(renamed))).expect(204);
        assertThat(get("/Groups/" + gid + "?excludedAttributes=members").expect(200).path("displayName").asText())
                .isEqualTo(renamed);
        assertSingle(get("/Groups?excludedAttributes=members&filter=" + enc("displayName eq \"" + renamed + "\""))
                .expect(200), gid);
        assertEmptyList(get("/Groups?excludedAttributes=members&filter=" + enc("displayName eq \"" + name + "\""))
                .expect(200));
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactly(u2);
    }

    @Test
    void membershipProbeAnswersOneWhenMemberAndZeroWhenNot() {
        String member = createUser("probe1." + suffix() + "@contoso.onmicrosoft.com");
        String outsider = createUser("probe2." + suffix() + "@contoso.onmicrosoft.com");
        String gid = post("/Groups", """
                {"schemas":["%s"],"displayName":"Probe Group %s","members":[]}
                """.formatted(GROUP, suffix())).expect(201).path("id").asText();
        patch("/Groups/" + gid, ops("""
                {"op":"Add","path":"members","value":[{"$ref":null,"value":"%s"}]}
                """.formatted(member))).expect(204);

        JsonNode hit = probeMembership(gid, member);
        assertSingle(hit, gid);
        assertThat(hit.path("Resources").get(0).has("members")).as("%s", hit).isFalse();
        assertEmptyList(probeMembership(gid, outsider));
        assertEmptyList(probeMembership(UUID.randomUUID().toString(), member));

        patch("/Groups/" + gid, ops("""
                {"op":"Remove","path":"members","value":[{"value":"%s"}]}
                """.formatted(member))).expect(204);
        assertEmptyList(probeMembership(gid, member));
        // A value that is no id names no member: its removal is a no-op, as in the filter form.
        patch("/Groups/" + gid, ops("""
                {"op":"Remove","path":"members","value":[{"value":"not-a-uuid"},{"value":"%s"}]}
                """.formatted(outsider))).expect(204);
        patch("/Groups/" + gid, ops("""
                {"op":"Add","path":"members","value":[{"value":"not-a-uuid"}]}
                """)).expect(400);
    }

    // ---------------------------------------------------------------- aadOptscim062020

    @Test
    void flagModePathlessReplaceWithDottedAndUrnKeysAndBooleans() {
        String suffix = suffix();
        String id = post("/Users", """
                {"schemas":["%s","%s"],"userName":"flag.%s@contoso.onmicrosoft.com","active":true,
                 "name":{"givenName":"Old","familyName":"Family"},"emails":[{"type":"work","value":"flag.%s@contoso.com"}],
                 "%s":{"employeeNumber":"1","department":"Ops"}}
                """.formatted(CORE, ENTERPRISE, suffix, suffix, ENTERPRISE)).expect(201).path("id").asText();

        JsonNode user = patch("/Users/" + id, ops("""
                {"op":"replace","value":{"name.givenName":"X","%s:employeeNumber":"7"}}
                """.formatted(ENTERPRISE))).expect(200);
        assertThat(user.path("name").path("givenName").asText()).as("%s", user).isEqualTo("X");
        assertThat(user.path("name").path("familyName").asText()).isEqualTo("Family");
        assertThat(user.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("7");
        assertThat(user.path(ENTERPRISE).path("department").asText()).isEqualTo("Ops");
        assertThat(user.has("name.givenName")).as("dotted keys are paths, not attributes: %s", user).isFalse();

        JsonNode disabled = patch("/Users/" + id, ops("""
                {"op":"replace","path":"active","value":false}
                """)).expect(200);
        assertThat(disabled.path("active").booleanValue()).isFalse();
        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("name").path("givenName").asText()).isEqualTo("X");
        assertThat(read.path(ENTERPRISE).path("employeeNumber").asText()).isEqualTo("7");
        assertThat(read.path("active").booleanValue()).isFalse();
    }

    @Test
    void flagModeLowerCaseMemberAddAndRemovalByFilter() {
        String u1 = createUser("f1." + suffix() + "@contoso.onmicrosoft.com");
        String u2 = createUser("f2." + suffix() + "@contoso.onmicrosoft.com");
        String gid = post("/Groups", """
                {"schemas":["%s"],"displayName":"Flag Group %s","members":[]}
                """.formatted(GROUP, suffix())).expect(201).path("id").asText();

        patch("/Groups/" + gid, ops("""
                {"op":"add","path":"members","value":[{"value":"%s"},{"value":"%s"}]}
                """.formatted(u1, u2))).expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactlyInAnyOrder(u1, u2);

        patch("/Groups/" + gid, ops("""
                {"op":"remove","path":"members[value eq \\"%s\\"]"}
                """.formatted(u1))).expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactly(u2);

        String renamed = "Flag Renamed " + suffix();
        patch("/Groups/" + gid, ops("""
                {"op":"replace","value":{"displayName":"%s"}}
                """.formatted(renamed))).expect(204);
        JsonNode group = get("/Groups/" + gid).expect(200);
        assertThat(group.path("displayName").asText()).isEqualTo(renamed);
        assertThat(memberIds(group)).containsExactly(u2);
    }

    // ---------------------------------------------------------------- paging

    @Test
    void pagingWalkStartIndexOneSixElevenCountFiveEchoesStartIndex() {
        for (int i = 0; i < 12; i++) {
            createUser("page" + i + "." + suffix() + "@contoso.onmicrosoft.com");
        }
        Set<String> seen = new HashSet<>();
        int total = -1;
        for (int startIndex : new int[] {1, 6, 11}) {
            JsonNode page = get("/Users?startIndex=" + startIndex + "&count=5").expect(200);
            assertThat(page.path("schemas").toString()).contains(LIST_RESPONSE);
            assertThat(page.path("startIndex").isInt()).as("%s", page.path("startIndex")).isTrue();
            assertThat(page.path("startIndex").asInt()).isEqualTo(startIndex);
            assertThat(page.path("itemsPerPage").isInt()).isTrue();
            assertThat(page.path("totalResults").isInt()).isTrue();
            if (total < 0) {
                total = page.path("totalResults").asInt();
                assertThat(total).isGreaterThanOrEqualTo(12);
            } else {
                assertThat(page.path("totalResults").asInt()).as("totalResults stable while walking").isEqualTo(total);
            }
            int expected = Math.min(5, total - startIndex + 1);
            assertThat(page.path("Resources")).as("page at %d", startIndex).hasSize(expected);
            assertThat(page.path("itemsPerPage").asInt()).isEqualTo(expected);
            for (String id : ids(page)) {
                assertThat(seen.add(id)).as("user %s appears on one page only", id).isTrue();
            }
        }
        assertThat(seen).hasSize(Math.min(15, total));
    }

    // ---------------------------------------------------------------- content type

    @Test
    void everyResponseWithABodyIsScimJson() {
        String id = createUser("ct." + suffix() + "@contoso.onmicrosoft.com");
        List<Exchange> exchanges = new ArrayList<>();
        exchanges.add(get("/Users/" + id));
        exchanges.add(get("/Users?filter=" + enc("userName eq \"none-" + suffix() + "\"")));
        exchanges.add(get("/Users/" + UUID.randomUUID()));
        exchanges.add(get("/ServiceProviderConfig"));
        exchanges.add(get("/ResourceTypes"));
        exchanges.add(get("/Schemas"));
        exchanges.add(patch("/Users/" + id, ops("{\"op\":\"Replace\",\"path\":\"title\",\"value\":\"T\"}")));
        exchanges.add(post("/Users", "{\"schemas\":[\"" + CORE + "\"]}"));
        exchanges.add(get("/Users?filter=" + enc("userName xx \"a\"")));
        for (Exchange exchange : exchanges) {
            assertThat(exchange.response().body()).as(exchange.describe()).isNotEmpty();
            assertThat(exchange.response().headers().firstValue("Content-Type")).as(exchange.describe())
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/scim+json"));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String createUserBody(String upn, String externalId, String email, String active) {
        return """
                {"schemas":["%s","%s"],"externalId":"%s","userName":"%s","active":"%s",
                 "emails":[{"primary":true,"type":"work","value":"%s"}],"meta":{"resourceType":"User"},
                 "name":{"formatted":"Jo Young","familyName":"Young","givenName":"Jo"},"roles":[]}
                """.formatted(CORE, ENTERPRISE, externalId, upn, active, email);
    }

    /** A user as Entra creates one; name and a work email too, which Okta's spec test expects of every user. */
    private static String createUser(String upn) {
        return post("/Users", """
                {"schemas":["%s","%s"],"userName":"%s","active":true,"name":{"givenName":"G","familyName":"F"},
                 "emails":[{"primary":true,"type":"work","value":"%s"}]}
                """.formatted(CORE, ENTERPRISE, upn, upn.replace("@contoso.onmicrosoft.com", "@contoso.com")))
                .expect(201).path("id").asText();
    }

    /** The element of a multi-valued attribute with this type, or a missing node. */
    private static JsonNode typed(JsonNode values, String type) {
        for (JsonNode value : values) {
            if (type.equals(value.path("type").asText())) {
                return value;
            }
        }
        return MissingNode.getInstance();
    }

    private static JsonNode probeMembership(String groupId, String userId) {
        return get("/Groups?excludedAttributes=members&filter=" + enc("id eq \"" + groupId
                + "\" and members[value eq \"" + userId + "\"]")).expect(200);
    }

    private static void assertEmptyList(JsonNode list) {
        assertThat(list.path("schemas").toString()).as("%s", list).contains(LIST_RESPONSE);
        assertThat(list.path("totalResults").isInt()).as("%s", list).isTrue();
        assertThat(list.path("totalResults").asInt()).as("%s", list).isZero();
        assertThat(list.path("Resources").isArray()).as("Resources is an empty array: %s", list).isTrue();
        assertThat(list.path("Resources")).isEmpty();
        assertThat(list.path("startIndex").isInt()).as("%s", list).isTrue();
        assertThat(list.path("startIndex").asInt()).isEqualTo(1);
        assertThat(list.path("itemsPerPage").isInt()).as("itemsPerPage present: %s", list).isTrue();
    }

    private static void assertSingle(JsonNode list, String id) {
        assertThat(list.path("totalResults").asInt()).as("exactly one match: %s", list).isEqualTo(1);
        assertThat(list.path("Resources")).as("%s", list).hasSize(1);
        assertThat(list.path("Resources").get(0).path("id").asText()).isEqualTo(id);
    }

    private static void assertUnassigned(JsonNode resource, String attribute) {
        JsonNode value = resource.path(attribute);
        assertThat(value.isMissingNode() || value.isNull() || (value.isContainerNode() && value.isEmpty()))
                .as("%s is unassigned in %s", attribute, resource).isTrue();
    }

}
