package dev.scimserver.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterParserTest {
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    static Stream<Arguments> rfc7644Examples() {
        return Stream.of(
                arguments("userName eq \"bjensen\"", eq("userName", "bjensen")),
                arguments("name.familyName co \"O'Malley\"", cmp("name.familyName", ComparisonOperator.CO, "O'Malley")),
                arguments("userName sw \"J\"", cmp("userName", ComparisonOperator.SW, "J")),
                arguments("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
                        cmp("urn:ietf:params:scim:schemas:core:2.0:User:userName", ComparisonOperator.SW, "J")),
                arguments("title pr", pr("title")),
                arguments("meta.lastModified gt \"2011-05-13T04:42:34Z\"",
                        cmp("meta.lastModified", ComparisonOperator.GT, "2011-05-13T04:42:34Z")),
                arguments("meta.lastModified ge \"2011-05-13T04:42:34Z\"",
                        cmp("meta.lastModified", ComparisonOperator.GE, "2011-05-13T04:42:34Z")),
                arguments("meta.lastModified lt \"2011-05-13T04:42:34Z\"",
                        cmp("meta.lastModified", ComparisonOperator.LT, "2011-05-13T04:42:34Z")),
                arguments("meta.lastModified le \"2011-05-13T04:42:34Z\"",
                        cmp("meta.lastModified", ComparisonOperator.LE, "2011-05-13T04:42:34Z")),
                arguments("title pr and userType eq \"Employee\"", and(pr("title"), eq("userType", "Employee"))),
                arguments("title pr or userType eq \"Intern\"", or(pr("title"), eq("userType", "Intern"))),
                arguments("schemas eq \"" + ENTERPRISE + "\"", eq("schemas", ENTERPRISE)),
                arguments("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")",
                        and(eq("userType", "Employee"), or(
                                cmp("emails", ComparisonOperator.CO, "example.com"),
                                cmp("emails.value", ComparisonOperator.CO, "example.org")))),
                arguments("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\")",
                        and(cmp("userType", ComparisonOperator.NE, "Employee"), not(or(
                                cmp("emails", ComparisonOperator.CO, "example.com"),
                                cmp("emails.value", ComparisonOperator.CO, "example.org"))))),
                arguments("userType eq \"Employee\" and (emails.type eq \"work\")",
                        and(eq("userType", "Employee"), eq("emails.type", "work"))),
                arguments("userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
                        and(eq("userType", "Employee"), vp("emails",
                                and(eq("type", "work"), cmp("value", ComparisonOperator.CO, "@example.com"))))),
                arguments("emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and value co \"@foo.com\"]",
                        or(vp("emails", and(eq("type", "work"), cmp("value", ComparisonOperator.CO, "@example.com"))),
                                vp("ims", and(eq("type", "xmpp"), cmp("value", ComparisonOperator.CO, "@foo.com"))))),
                arguments("userName Eq \"john\"", eq("userName", "john")),
                arguments("Username eq \"john\"", eq("Username", "john")));
    }

    static Stream<Arguments> realClientForms() {
        return Stream.of(
                arguments("id eq \"g1\" and members[value eq \"u1\"]",
                        and(eq("id", "g1"), vp("members", eq("value", "u1")))),
                arguments("externalId eq jyoung", eq("externalId", "jyoung")),
                arguments("userName eq bob@example.com", eq("userName", "bob@example.com")),
                arguments("username Eq \"x\"", eq("username", "x")),
                arguments("emails[type eq \"work\"].value eq \"a@b.c\"",
                        vp("emails", and(eq("type", "work"), eq("value", "a@b.c")))),
                arguments("emails[type eq \"work\" or type eq \"home\"].value pr",
                        vp("emails", and(or(eq("type", "work"), eq("type", "home")), pr("value")))),
                arguments("meta.Created gt \"2025-01-01T00:00:00.1234567+02:00\"",
                        cmp("meta.Created", ComparisonOperator.GT, "2025-01-01T00:00:00.1234567+02:00")),
                arguments("active eq True", eq("active", true)),
                arguments("displayName eq \"Sales Reps\"", eq("displayName", "Sales Reps")),
                arguments("userName EQ \"x\" AND active Eq FALSE", and(eq("userName", "x"), eq("active", false))),
                arguments("NOT (title PR) Or title pr", or(not(pr("title")), pr("title"))),
                arguments("  userName\t eq \t \"x\"  ", eq("userName", "x")),
                arguments("(userName eq x)", eq("userName", "x")),
                arguments("members[value eq u1]", vp("members", eq("value", "u1"))),
                arguments("not(title pr)", not(pr("title"))),
                arguments(ENTERPRISE + ":manager.value eq \"26118915\"", eq(ENTERPRISE + ":manager.value", "26118915")),
                arguments("urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \"admin\"",
                        eq("urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role", "admin")),
                arguments(ENTERPRISE + ":emails[type eq \"work\"]", vp(ENTERPRISE + ":emails", eq("type", "work"))),
                arguments("groups[$ref eq \"https://x/Groups/1\"]", vp("groups", eq("$ref", "https://x/Groups/1"))),
                arguments("emails[not (type eq \"work\")]", vp("emails", not(eq("type", "work")))));
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                arguments("a pr or b pr and c pr", or(pr("a"), and(pr("b"), pr("c")))),
                arguments("a pr and b pr or c pr", or(and(pr("a"), pr("b")), pr("c"))),
                arguments("a pr and b pr and c pr", and(and(pr("a"), pr("b")), pr("c"))),
                arguments("a pr or b pr or c pr", or(or(pr("a"), pr("b")), pr("c"))),
                arguments("a pr and (b pr or c pr)", and(pr("a"), or(pr("b"), pr("c")))),
                arguments("not (a pr) and b pr", and(not(pr("a")), pr("b"))),
                arguments("a pr and (b pr and c pr)", and(pr("a"), and(pr("b"), pr("c")))));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                arguments("x eq 42", IntNode.valueOf(42)),
                arguments("x eq -7", IntNode.valueOf(-7)),
                arguments("x eq 12345678901", LongNode.valueOf(12345678901L)),
                arguments("x eq 1.50", DecimalNode.valueOf(new BigDecimal("1.50"))),
                arguments("x eq 2e3", new WrittenNumber(new BigDecimal("2e3"), "2e3", false)),
                arguments("x eq true", BooleanNode.TRUE),
                arguments("x eq False", BooleanNode.FALSE),
                arguments("x eq null", NullNode.instance),
                arguments("x eq NULL", NullNode.instance),
                arguments("x eq \"true\"", TextNode.valueOf("true")),
                arguments("x eq \"42\"", TextNode.valueOf("42")),
                arguments("x eq 007", TextNode.valueOf("007")),
                arguments("x eq \"\"", TextNode.valueOf("")),
                arguments("x eq \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", TextNode.valueOf("a\"b\\c/d\b\f\n\r\t")),
                arguments("x eq \"\\u00e9\\u20AC\"", TextNode.valueOf("é€")),
                arguments("x eq \"a b ) ] and\"", TextNode.valueOf("a b ) ] and")));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                arguments("", "empty filter"),
                arguments("   ", "empty filter"),
                arguments("userName", "expected an operator"),
                arguments("userName eq", "expected a value"),
                arguments("userName zz \"x\"", "expected an operator"),
                arguments("(userName eq \"x\"", "unbalanced parenthesis"),
                arguments("userName eq \"x\")", "unexpected ')'"),
                arguments("userName eq \"unterminated", "unterminated string"),
                arguments("userName eq \"bad \\q escape\"", "invalid escape"),
                arguments("userName eq \"\\u12G4\"", "invalid \\u escape"),
                arguments("emails[type eq \"work\"", "unbalanced '['"),
                arguments("emails[type eq \"w\" and x[y eq 1]]", "nested '[' is not allowed"),
                arguments("not userName eq \"x\"", "expected '(' after 'not'"),
                arguments("and", "expected an operator"),
                arguments("title pr and", "unexpected end of filter"),
                arguments("title pr title pr", "expected 'and' or 'or'"),
                arguments("()", "unexpected ')'"),
                arguments("userName eq )", "expected a value"),
                arguments("\"x\" eq userName", "expected an attribute path"),
                arguments("1abc eq 1", "not an attribute path"),
                arguments("name.given.family eq 1", "not an attribute path"),
                arguments("foo:bar eq 1", "not an attribute path"),
                arguments("emails[type eq \"work\"].value", "expected an operator"),
                arguments("emails[type eq \"work\"].", "expected a sub-attribute name"),
                arguments("emails[type eq \"work\")", "unexpected ')'"),
                arguments("(title pr]", "unbalanced parenthesis"),
                arguments("x eq 1e99999999999", "number out of range"),
                arguments("a".repeat(5000), "filter longer than 4096 characters"),
                arguments("(".repeat(10_000) + "a pr" + ")".repeat(10_000), "filter longer than 4096 characters"),
                arguments("(".repeat(100) + "a pr" + ")".repeat(100), "filter nested deeper than 64"),
                arguments("not (".repeat(100) + "a pr" + ")".repeat(100), "filter nested deeper than 64"),
                arguments("\u0000", "U+0000"),
                arguments("userName eq \"a\u0000\"", "U+0000"),
                arguments("userName eq \"\\u0000\"", "U+0000"),
                arguments("emails[value eq \"a\\u0000b\"]", "U+0000"),
                arguments("userName eq \"x\" \ud800", "unpaired UTF-16 surrogate"),
                arguments("userName eq \"\\ud800\"", "unpaired UTF-16 surrogate"),
                arguments("userName eq \"a\\udc00b\"", "unpaired UTF-16 surrogate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"rfc7644Examples", "realClientForms", "precedence"})
    void parsesToTheExpectedTree(String text, Filter expected) {
        assertThat(FilterParser.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void readsComparisonValues(String text, JsonNode expected) {
        Filter.Comparison comparison = (Filter.Comparison) FilterParser.parse(text);
        assertThat(comparison.value()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"rfc7644Examples", "realClientForms", "precedence"})
    void printedFormParsesBackToTheSameTree(String text, Filter expected) {
        assertThat(FilterParser.parse(FilterPrinter.print(expected))).isEqualTo(expected);
    }

    // A decimal of scale 0 ("10e0") prints as "10", which would read back as an integer.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x eq 10e0", "x eq 1.0e1", "x eq -5E0", "x eq 0e0", "x eq 2e3", "x eq 1.50"})
    void decimalsPrintSoTheyReadBackAsDecimals(String text) {
        Filter parsed = FilterParser.parse(text);
        assertThat(FilterParser.parse(FilterPrinter.print(parsed))).isEqualTo(parsed);
    }

    // Entra sends bare values; a bare number compared with a string attribute must be the text sent.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e3", "1E3", "1.50", "-0", "0.0000001", "10e0", "2E+3", "7", "-12"})
    void aBareNumberKeepsItsWrittenTextThroughPrintingAndParsing(String written) {
        Filter.Comparison parsed = (Filter.Comparison) FilterParser.parse("externalId eq " + written);
        assertThat(parsed.value().isNumber()).isTrue();
        assertThat(FilterOperands.text(parsed.value())).isEqualTo(written);
        Filter.Comparison reparsed = (Filter.Comparison) FilterParser.parse(FilterPrinter.print(parsed));
        assertThat(reparsed).isEqualTo(parsed);
        assertThat(FilterOperands.text(reparsed.value())).isEqualTo(written);
        // A cursor's fingerprint is the filter's text: one written otherwise matches other strings.
        assertThat(parsed.toString()).contains(written);
    }

    @Test
    void bareNumbersWrittenDifferentlyAreDifferentFilters() {
        Filter lower = FilterParser.parse("externalId eq 1e3");
        Filter upper = FilterParser.parse("externalId eq 1E3");
        assertThat(lower).isNotEqualTo(upper).isNotEqualTo(FilterParser.parse("externalId eq 1000"));
        assertThat(lower.toString()).isNotEqualTo(upper.toString());
        assertThat(lower).isEqualTo(FilterParser.parse("externalId eq 1e3"));
        // -0 is an integer as 0 is, for an integer attribute, and its own text for a string one.
        assertThat(((Filter.Comparison) FilterParser.parse("x eq -0")).value().isIntegralNumber()).isTrue();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failures")
    void rejectsMalformedFilters(String text, String reason) {
        assertThatThrownBy(() -> FilterParser.parse(text))
                .isInstanceOfSatisfying(ScimException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.scimType()).contains(ScimType.INVALID_FILTER);
                    assertThat(e.detail()).contains(reason);
                });
    }

    @Test
    void reportsThePositionOfTheError() {
        assertThatThrownBy(() -> FilterParser.parse("userName zz \"x\""))
                .hasMessage("invalid filter at position 9: expected an operator");
        assertThatThrownBy(() -> FilterParser.parse("a pr and (b pr"))
                .hasMessage("invalid filter at position 9: unbalanced parenthesis");
    }

    @Test
    void nullIsAnEmptyFilter() {
        assertThatThrownBy(() -> FilterParser.parse(null))
                .isInstanceOf(ScimException.class)
                .hasMessageContaining("empty filter");
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        String text = "(".repeat(FilterParser.MAX_DEPTH) + "a pr" + ")".repeat(FilterParser.MAX_DEPTH);
        assertThat(FilterParser.parse(text)).isEqualTo(pr("a"));
    }

    @Test
    void longChainsFoldWithoutRecursion() {
        String text = "a pr" + " and a pr".repeat(450);
        assertThat(FilterParser.parse(text)).isInstanceOf(Filter.And.class);
    }

    @Test
    void printsCanonicalText() {
        Filter filter = FilterParser.parse(
                "userType EQ Employee AND (emails[type eq work].value CO \"@x\" OR NOT (title PR))");
        assertThat(FilterPrinter.print(filter)).isEqualTo(
                "userType eq \"Employee\" and (emails[type eq \"work\" and value co \"@x\"] or not (title pr))");
    }

    static Filter eq(String path, Object value) {
        return cmp(path, ComparisonOperator.EQ, value);
    }

    static Filter cmp(String path, ComparisonOperator operator, Object value) {
        return new Filter.Comparison(AttributePath.parse(path), operator, json(value));
    }

    private static JsonNode json(Object value) {
        if (value instanceof String text) {
            return TextNode.valueOf(text);
        }
        if (value instanceof Boolean bool) {
            return BooleanNode.valueOf(bool);
        }
        if (value instanceof Integer number) {
            return IntNode.valueOf(number);
        }
        return NullNode.instance;
    }

    static Filter pr(String path) {
        return new Filter.Present(AttributePath.parse(path));
    }

    static Filter and(Filter left, Filter right) {
        return new Filter.And(left, right);
    }

    static Filter or(Filter left, Filter right) {
        return new Filter.Or(left, right);
    }

    static Filter not(Filter inner) {
        return new Filter.Not(inner);
    }

    static Filter vp(String path, Filter inner) {
        return new Filter.ValuePath(AttributePath.parse(path), inner);
    }
}
