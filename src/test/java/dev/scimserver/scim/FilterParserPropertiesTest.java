package dev.scimserver.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

class FilterParserPropertiesTest {

    @Property(tries = 1000)
    void printedFiltersParseBackToEqualTrees(@ForAll("filters") Filter filter) {
        String text = FilterPrinter.print(filter);
        assertThat(FilterParser.parse(text)).as(text).isEqualTo(filter);
    }

    @Property(tries = 2000)
    void arbitraryTextParsesOrFailsAsInvalidFilter(@ForAll("anyText") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property(tries = 3000)
    void filterLikeTextParsesOrFailsAsInvalidFilter(@ForAll("filterLikeText") String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property(tries = 1000)
    void patchPathsParseOrFailAsInvalidPath(@ForAll("filterLikeText") String text) {
        try {
            PatchPath path = PatchPath.parse(text);
            assertThat(PatchPath.parse(path.toString())).isEqualTo(path);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).contains(ScimType.INVALID_PATH);
        }
    }

    private static void assertParsesOrFailsCleanly(String text) {
        Filter filter;
        try {
            filter = FilterParser.parse(text);
        } catch (ScimException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.scimType()).contains(ScimType.INVALID_FILTER);
            Statistics.collect("rejected");
            return;
        }
        Statistics.collect("parsed");
        assertThat(FilterParser.parse(FilterPrinter.print(filter))).isEqualTo(filter);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().all().ofMaxLength(300);
    }

    /**
     * Valid filters with one random edit, and sequences of the grammar's own pieces, so that the
     * random text gets deep into the parser rather than failing at the first character.
     */
    @Provide
    Arbitrary<String> filterLikeText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of(" ", "  ", "\t", "(", ")", "[", "]", ".", ":", "\"", "\\", "\\u", "\\u00e9", "$",
                        "-", "eq", "Eq", "pr", "co", "gt", "and", "OR", "not", "not (", "true", "null", "1",
                        "-2.5e3", "007", "urn:ietf:params:scim:schemas:core:2.0:User:", "emails", "type",
                        "value", "\"work\"", "\u0000", "\ud800", "é", "😀"),
                Arbitraries.strings().all().ofMaxLength(3));
        Arbitrary<String> pieces = piece.list().ofMaxSize(40).map(list -> String.join("", list));
        Arbitrary<String> printed = filters().map(FilterPrinter::print);
        Arbitrary<String> edited = Combinators.combine(printed, Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(0, 3), piece)
                .as(FilterParserPropertiesTest::edit);
        return Arbitraries.frequencyOf(Tuple.of(1, pieces), Tuple.of(3, edited), Tuple.of(1, printed));
    }

    private static String edit(String text, double where, int how, String piece) {
        int at = (int) (where * text.length());
        int end = Math.min(text.length(), at + 1 + piece.length());
        return switch (how) {
            case 0 -> text.substring(0, at) + piece + text.substring(at);
            case 1 -> text.substring(0, at) + text.substring(end);
            case 2 -> text.substring(0, at) + piece + text.substring(end);
            default -> text.substring(0, at);
        };
    }

    @Provide
    Arbitrary<Filter> filters() {
        return filter(4, false);
    }

    private Arbitrary<Filter> filter(int depth, boolean inBrackets) {
        Arbitrary<Filter> leaf = Arbitraries.oneOf(comparison(), present());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Filter> smaller = Arbitraries.lazy(() -> filter(depth - 1, inBrackets));
        Arbitrary<Filter> and = Combinators.combine(smaller, smaller).as(Filter.And::new);
        Arbitrary<Filter> or = Combinators.combine(smaller, smaller).as(Filter.Or::new);
        Arbitrary<Filter> not = smaller.map(Filter.Not::new);
        if (inBrackets) {
            return Arbitraries.frequencyOf(
                    Tuple.of(3, leaf), Tuple.of(2, and),
                    Tuple.of(2, or), Tuple.of(1, not));
        }
        Arbitrary<Filter> valuePath = Combinators.combine(attributePath(false), filter(depth - 1, true))
                .as(Filter.ValuePath::new);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf), Tuple.of(2, and), Tuple.of(2, or),
                Tuple.of(1, not), Tuple.of(1, valuePath));
    }

    private Arbitrary<Filter> comparison() {
        return Combinators.combine(attributePath(true), Arbitraries.of(ComparisonOperator.class), value())
                .as(Filter.Comparison::new);
    }

    private Arbitrary<Filter> present() {
        return attributePath(true).map(Filter.Present::new);
    }

    private Arbitrary<AttributePath> attributePath(boolean withSub) {
        Arbitrary<String> urn = Arbitraries.of(
                "urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0").injectNull(0.7);
        Arbitrary<String> sub = withSub ? name().injectNull(0.6) : Arbitraries.just(null);
        return Combinators.combine(urn, name(), sub).as(AttributePath::new);
    }

    private Arbitrary<String> name() {
        Arbitrary<String> generated = Combinators.combine(
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars('$').ofLength(1),
                        Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                                .withCharRange('0', '9').withChars('_', '$', '-').ofMaxLength(12))
                .as(String::concat);
        return Arbitraries.oneOf(generated, Arbitraries.of("value", "type", "$ref", "not", "and", "or", "pr", "eq"));
    }

    private Arbitrary<JsonNode> value() {
        return Arbitraries.oneOf(
                // What a filter value may not hold: U+0000 and an unpaired surrogate (StorableText).
                Arbitraries.strings().all().excludeChars('\u0000').ofMaxLength(20)
                        .filter(text -> StorableText.firstUnstorable(text) < 0).map(TextNode::valueOf),
                Arbitraries.of("true", "null", "42", "a b", "\"", "\\", ")", "]").map(TextNode::valueOf),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().filter(l -> l < Integer.MIN_VALUE || l > Integer.MAX_VALUE).map(LongNode::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(64), BigInteger.TWO.pow(200))
                        .map(BigIntegerNode::valueOf),
                Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(),
                                        BigInteger.TEN.pow(30)),
                                Arbitraries.integers().between(-40, 40).filter(scale -> scale != 0))
                        .as((unscaled, scale) -> (JsonNode) DecimalNode.valueOf(new BigDecimal(unscaled, scale))),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NullNode.instance));
    }
}
