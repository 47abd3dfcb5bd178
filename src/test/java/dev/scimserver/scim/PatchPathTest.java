package dev.scimserver.scim;

import static dev.scimserver.scim.FilterParserTest.eq;
import static dev.scimserver.scim.FilterParserTest.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PatchPathTest {
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String TOOLJET = "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0";

    static Stream<Arguments> paths() {
        return Stream.of(
                arguments("members", path("members")),
                arguments("members[value eq \"2819c223-7f76-453a-919d-413861904646\"]",
                        filtered("members", eq("value", "2819c223-7f76-453a-919d-413861904646"), null)),
                arguments("emails[type eq \"work\"].value", filtered("emails", eq("type", "work"), "value")),
                arguments("name.familyName", path("name.familyName")),
                arguments(ENTERPRISE + ":employeeNumber", path(ENTERPRISE + ":employeeNumber")),
                arguments(ENTERPRISE + ":manager.value", path(ENTERPRISE + ":manager.value")),
                arguments(TOOLJET + ":role", path(TOOLJET + ":role")),
                arguments("addresses[type eq \"work\"].streetAddress",
                        filtered("addresses", eq("type", "work"), "streetAddress")),
                arguments("phoneNumbers[type eq \"mobile\"].value", filtered("phoneNumbers", eq("type", "mobile"), "value")),
                arguments("members[value eq \"a\" or value eq \"b\"]",
                        filtered("members", or(eq("value", "a"), eq("value", "b")), null)),
                arguments("urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].value",
                        filtered("urn:ietf:params:scim:schemas:core:2.0:User:emails", eq("type", "work"), "value")),
                arguments("groups[value eq g1].$ref", filtered("groups", eq("value", "g1"), "$ref")),
                arguments("emails[TYPE EQ \"work\"].value", filtered("emails", eq("TYPE", "work"), "value")),
                arguments("  name.givenName  ", path("name.givenName")));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                arguments("", "empty path"),
                arguments("   ", "empty path"),
                arguments("[type eq \"work\"]", "expected an attribute path"),
                arguments("members[", "unexpected end of filter"),
                arguments("members[value eq \"a\"", "unbalanced '['"),
                arguments("members[value zz \"a\"]", "expected an operator"),
                arguments("members[value eq \"a\"]]", "unexpected ']'"),
                arguments("members[value eq \"a\"].", "expected a sub-attribute name"),
                arguments("members[value eq \"a\"].value.x", "expected a sub-attribute name"),
                arguments("emails[type eq \"work\"]value", "unexpected text after the path"),
                arguments("emails[type eq \"w\" and x[y eq 1]]", "nested '[' is not allowed"),
                arguments("name.givenName[value pr]", "a sub-attribute cannot be filtered"),
                arguments("name.given.family", "not an attribute path"),
                arguments("name given", "unexpected text after the path"),
                arguments("name.", "not an attribute path"),
                arguments(ENTERPRISE + ":", "not an attribute path"),
                arguments("emails[type eq \"work\"] eq \"x\"", "unexpected text after the path"),
                arguments("a".repeat(5000), "path longer than 4096 characters"),
                arguments("emails[value eq \"\\u0000\"].primary", "U+0000"),
                arguments("members[value eq \"\u0000\"]", "U+0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void parsesToTheExpectedValue(String text, PatchPath expected) {
        assertThat(PatchPath.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void toStringRoundTrips(String text, PatchPath expected) {
        PatchPath parsed = PatchPath.parse(text);
        assertThat(PatchPath.parse(parsed.toString())).isEqualTo(parsed).hasSameHashCodeAs(parsed);
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("failures")
    void rejectsMalformedPathsAsInvalidPath(String text, String reason) {
        assertThatThrownBy(() -> PatchPath.parse(text))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).contains(ScimType.INVALID_PATH);
                    assertThat(e.detail()).contains(reason);
                });
    }

    @Test
    void printsCanonicalText() {
        assertThat(PatchPath.parse("emails[TYPE Eq work].value").toString()).isEqualTo("emails[TYPE eq \"work\"].value");
        assertThat(PatchPath.parse(ENTERPRISE + ":manager.value").toString()).isEqualTo(ENTERPRISE + ":manager.value");
    }

    @Test
    void exposesItsParts() {
        PatchPath parsed = PatchPath.parse("emails[type eq \"work\"].value");
        assertThat(parsed.attribute()).isEqualTo(AttributePath.of("emails"));
        assertThat(parsed.valueFilter()).isEqualTo(eq("type", "work"));
        assertThat(parsed.subAttribute()).isEqualTo("value");
        assertThat(parsed.hasValueFilter()).isTrue();
        assertThat(PatchPath.parse("name.familyName").hasValueFilter()).isFalse();
    }

    @Test
    void nullIsAnEmptyPath() {
        assertThatThrownBy(() -> PatchPath.parse(null))
                .isInstanceOf(ScimException.class)
                .hasMessageContaining("empty path");
    }

    @Test
    void refusesInconsistentParts() {
        assertThatThrownBy(() -> new PatchPath(AttributePath.of("emails"), null, "value"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new PatchPath(AttributePath.parse("name.givenName"), eq("type", "x"), null))
                .isInstanceOf(IllegalStateException.class);
    }

    private static PatchPath path(String text) {
        return new PatchPath(AttributePath.parse(text), null, null);
    }

    private static PatchPath filtered(String attribute, Filter filter, String subAttribute) {
        return new PatchPath(AttributePath.parse(attribute), filter, subAttribute);
    }
}
