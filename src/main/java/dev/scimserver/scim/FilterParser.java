package dev.scimserver.scim;

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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the filter grammar of RFC 7644 §3.4.2.2 (Figure 1) into a {@link Filter}, by recursive
 * descent straight over the characters: whether a word is an attribute path, an operator or a
 * bare value depends on where it stands, so a separate tokenizer would have to guess.
 *
 * <p>Past the RFC, it accepts what real clients send: operators and {@code and}/{@code or}/{@code
 * not} in any case, unquoted string values ({@code externalId eq jyoung}), and Entra's
 * {@code emails[type eq "work"].value eq "x"}, read as one element satisfying both conditions.
 * Attributes are not checked against a schema here.
 *
 * <p>Every malformed input ends in a {@link ScimException} ({@code invalidFilter}, or {@code
 * invalidPath} when reading a PATCH path); length and nesting are bounded so no input can exhaust
 * the stack. What the directory cannot keep ({@link StorableText}: U+0000, a lone surrogate) is
 * refused as written and as an escape: a filter is the one place where a value is decoded after the
 * request's own check for it.
 */
public final class FilterParser {
    static final int MAX_LENGTH = 4096;
    static final int MAX_DEPTH = 64;

    private static final Pattern NUMBER =
            Pattern.compile("-?(?:0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    // RFC 7643 ATTRNAME, plus '$' because "$ref" is a sub-attribute name.
    private static final Pattern NAME = Pattern.compile("[A-Za-z$][A-Za-z0-9_$-]*");
    /** The extensions a PATCH path may name whole. */
    private static final List<String> WHOLE_EXTENSIONS = List.of(ScimUrns.ENTERPRISE_USER, ScimUrns.TOOLJET_USER);
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String text;
    private final boolean readingPath;
    /** Whether the text is held to {@link #MAX_LENGTH}: all but a filter the server composed. */
    private final boolean bounded;
    private int pos;
    private int depth;
    private boolean inBrackets;

    private FilterParser(String text, boolean readingPath, boolean bounded) {
        this.text = text == null ? "" : text;
        this.readingPath = readingPath;
        this.bounded = bounded;
    }

    /** Parses a whole filter expression; throws a 400 {@code invalidFilter} if it is malformed. */
    public static Filter parse(String text) {
        return new FilterParser(text, false, true).wholeFilter();
    }

    /**
     * Parses a filter the server composed of input bounded on its own (the console's search: each word
     * of it in several attributes), which {@link #MAX_LENGTH}, the bound of a filter a client writes,
     * would refuse for a search within its own bound.
     */
    public static Filter parseComposed(String text) {
        return new FilterParser(text, false, false).wholeFilter();
    }

    /** Reads a PATCH path ({@code attrPath / valuePath [subAttr]}); errors are {@code invalidPath}. */
    static PatchPath parsePatchPath(String text) {
        return new FilterParser(text, true, true).wholePatchPath();
    }

    private Filter wholeFilter() {
        checkText("filter");
        skipWhitespace();
        if (atEnd()) {
            throw fail(pos, "empty filter");
        }
        Filter filter = orExpression();
        skipWhitespace();
        if (!atEnd()) {
            throw fail(pos, unexpected("expected 'and' or 'or'"));
        }
        return filter;
    }

    private PatchPath wholePatchPath() {
        checkText("path");
        skipWhitespace();
        if (atEnd()) {
            throw fail(pos, "empty path");
        }
        // A whole extension (RFC 7644 §3.5.2 allows its URN as a path): ToolJet's ends in its version,
        // "User:2.0", which no attribute name reads.
        String whole = text.substring(pos).strip();
        for (String urn : WHOLE_EXTENSIONS) {
            if (whole.equalsIgnoreCase(urn)) {
                int colon = whole.lastIndexOf(':');
                return new PatchPath(new AttributePath(whole.substring(0, colon), whole.substring(colon + 1), null),
                        null, null);
            }
        }
        AttributePath attribute = attributePath();
        Filter valueFilter = null;
        String subAttribute = null;
        if (peekIs('[')) {
            if (attribute.hasSubAttribute()) {
                throw fail(pos, "a sub-attribute cannot be filtered");
            }
            valueFilter = valuePath(attribute).filter();
            if (peekIs('.')) {
                pos++;
                subAttribute = subAttributeName();
            }
        }
        skipWhitespace();
        if (!atEnd()) {
            throw fail(pos, unexpected("unexpected text after the path"));
        }
        return new PatchPath(attribute, valueFilter, subAttribute);
    }

    private void checkText(String what) {
        if (bounded && text.length() > MAX_LENGTH) {
            throw fail(MAX_LENGTH, what + " longer than " + MAX_LENGTH + " characters");
        }
        int unstorable = StorableText.firstUnstorable(text);
        if (unstorable >= 0) {
            throw fail(unstorable, StorableText.reason(text, unstorable));
        }
    }

    // or binds loosest; both operators fold to the left, in a loop so long chains cost no stack.
    private Filter orExpression() {
        Filter left = andExpression();
        while (keywordFollows("or")) {
            left = new Filter.Or(left, andExpression());
        }
        return left;
    }

    private Filter andExpression() {
        Filter left = unary();
        while (keywordFollows("and")) {
            left = new Filter.And(left, unary());
        }
        return left;
    }

    private Filter unary() {
        skipWhitespace();
        if (atEnd()) {
            throw fail(pos, "unexpected end of filter");
        }
        if (peekIs('(')) {
            return group();
        }
        int start = pos;
        String word = pathToken();
        if (word.isEmpty()) {
            throw fail(start, unexpected("expected an attribute path"));
        }
        if (word.equalsIgnoreCase("not")) {
            int afterWord = pos;
            skipWhitespace();
            if (peekIs('(')) {
                return new Filter.Not(group());
            }
            if (!operatorFollows(afterWord)) {
                throw fail(pos, "expected '(' after 'not'");
            }
        }
        pos = start;
        return attributeExpression(attributePath());
    }

    // "not pr" and "not[...]" name an attribute called "not"; only then is "not" not the operator.
    private boolean operatorFollows(int afterWord) {
        if (afterWord < text.length() && text.charAt(afterWord) == '[') {
            return true;
        }
        if (pos == afterWord) {
            return false;
        }
        int start = pos;
        String next = letters();
        pos = start;
        return next.equalsIgnoreCase("pr") || comparisonOperator(next) != null;
    }

    private Filter group() {
        int open = pos;
        enter(open);
        pos++;
        Filter inner = orExpression();
        skipWhitespace();
        if (atEnd() || peekIs(']')) {
            throw fail(open, "unbalanced parenthesis");
        }
        if (!peekIs(')')) {
            throw fail(pos, "expected 'and', 'or' or ')'");
        }
        pos++;
        depth--;
        return inner;
    }

    private Filter attributeExpression(AttributePath path) {
        if (!peekIs('[')) {
            return operation(path);
        }
        Filter.ValuePath valuePath = valuePath(path);
        if (!peekIs('.')) {
            return valuePath;
        }
        // Entra's emails[type eq "work"].value eq "x": one element must satisfy both parts.
        pos++;
        Filter condition = operation(AttributePath.of(subAttributeName()));
        return new Filter.ValuePath(valuePath.attribute(), new Filter.And(valuePath.filter(), condition));
    }

    private Filter.ValuePath valuePath(AttributePath path) {
        int open = pos;
        if (inBrackets) {
            throw fail(open, "nested '[' is not allowed");
        }
        enter(open);
        inBrackets = true;
        pos++;
        Filter inner = orExpression();
        skipWhitespace();
        if (atEnd()) {
            throw fail(open, "unbalanced '['");
        }
        if (!peekIs(']')) {
            throw fail(pos, unexpected("expected 'and', 'or' or ']'"));
        }
        pos++;
        inBrackets = false;
        depth--;
        return new Filter.ValuePath(path, inner);
    }

    private Filter operation(AttributePath path) {
        skipWhitespace();
        int start = pos;
        String operator = letters();
        if (operator.equalsIgnoreCase("pr")) {
            return new Filter.Present(path);
        }
        ComparisonOperator comparison = comparisonOperator(operator);
        if (comparison == null) {
            throw fail(start, "expected an operator");
        }
        return new Filter.Comparison(path, comparison, value());
    }

    private static ComparisonOperator comparisonOperator(String word) {
        for (ComparisonOperator operator : ComparisonOperator.values()) {
            if (operator.wireValue().equalsIgnoreCase(word)) {
                return operator;
            }
        }
        return null;
    }

    private JsonNode value() {
        skipWhitespace();
        if (peekIs('"')) {
            return TextNode.valueOf(jsonString());
        }
        int start = pos;
        while (!atEnd() && !isWhitespace(peek()) && !peekIs(')') && !peekIs(']')) {
            pos++;
        }
        if (start == pos) {
            throw fail(start, "expected a value");
        }
        return bareValue(text.substring(start, pos), start);
    }

    // Clients send unquoted strings; a bare word is a keyword or a number only if it is exactly one.
    private JsonNode bareValue(String word, int start) {
        if (word.equalsIgnoreCase("true")) {
            return BooleanNode.TRUE;
        }
        if (word.equalsIgnoreCase("false")) {
            return BooleanNode.FALSE;
        }
        if (word.equalsIgnoreCase("null")) {
            return NullNode.instance;
        }
        Matcher number = NUMBER.matcher(word);
        if (!number.matches()) {
            return TextNode.valueOf(word);
        }
        JsonNode value;
        if (number.group(1) == null && number.group(2) == null) {
            value = integer(new BigInteger(word));
        } else {
            try {
                value = DecimalNode.valueOf(new BigDecimal(word));
            } catch (NumberFormatException exponentOutOfRange) {
                throw fail(start, "number out of range");
            }
        }
        return value.asText().equals(word) ? value
                : new WrittenNumber(value.decimalValue(), word, value.isIntegralNumber());
    }

    private static JsonNode integer(BigInteger value) {
        if (value.compareTo(INT_MIN) >= 0 && value.compareTo(INT_MAX) <= 0) {
            return IntNode.valueOf(value.intValue());
        }
        if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
            return LongNode.valueOf(value.longValue());
        }
        return BigIntegerNode.valueOf(value);
    }

    private String jsonString() {
        int open = pos;
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw fail(open, "unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                int unstorable = StorableText.firstUnstorable(out);
                if (unstorable >= 0) {
                    throw fail(open, "the string holds " + StorableText.reason(out, unstorable));
                }
                return out.toString();
            }
            out.append(c == '\\' ? escape(open) : c);
        }
    }

    private char escape(int open) {
        int start = pos - 1;
        if (atEnd()) {
            throw fail(open, "unterminated string");
        }
        char c = text.charAt(pos++);
        return switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> unicodeEscape(start);
            default -> throw fail(start, "invalid escape in string");
        };
    }

    private char unicodeEscape(int start) {
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = atEnd() ? -1 : hexDigit(text.charAt(pos));
            if (digit < 0) {
                throw fail(start, "invalid \\u escape in string");
            }
            code = code * 16 + digit;
            pos++;
        }
        return (char) code;
    }

    // Character.digit would also accept non-ASCII digits such as U+FF10.
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Reads {@code [URN:]attr[.sub]} at the cursor, checking each name against the RFC grammar. */
    private AttributePath attributePath() {
        int start = pos;
        String token = pathToken();
        if (token.isEmpty()) {
            throw fail(start, unexpected("expected an attribute path"));
        }
        String names = token;
        if (token.regionMatches(true, 0, "urn:", 0, 4)) {
            names = token.substring(token.lastIndexOf(':') + 1);
        } else if (token.indexOf(':') >= 0) {
            throw fail(start, "not an attribute path");
        }
        int dot = names.indexOf('.');
        String attribute = dot < 0 ? names : names.substring(0, dot);
        String sub = dot < 0 ? null : names.substring(dot + 1);
        if (!isName(attribute) || (sub != null && !isName(sub))) {
            throw fail(start, "not an attribute path");
        }
        return AttributePath.parse(token);
    }

    private String subAttributeName() {
        int start = pos;
        String name = pathToken();
        if (!isName(name)) {
            throw fail(start, "expected a sub-attribute name");
        }
        return name;
    }

    private static boolean isName(String word) {
        return NAME.matcher(word).matches();
    }

    // A URN holds colons and dots ("...:enterprise:2.0:User:manager.value"), so a path is one run.
    private String pathToken() {
        int start = pos;
        while (!atEnd() && isPathChar(peek())) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private static boolean isPathChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == ':' || c == '.' || c == '_' || c == '$' || c == '-';
    }

    private String letters() {
        int start = pos;
        while (!atEnd() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z'))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** Consumes {@code keyword} (any case) if it is the next word; otherwise leaves the cursor. */
    private boolean keywordFollows(String keyword) {
        int start = pos;
        skipWhitespace();
        if (letters().equalsIgnoreCase(keyword)) {
            return true;
        }
        pos = start;
        return false;
    }

    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            throw fail(at, "filter nested deeper than " + MAX_DEPTH);
        }
    }

    private void skipWhitespace() {
        while (!atEnd() && isWhitespace(peek())) {
            pos++;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private boolean peekIs(char c) {
        return !atEnd() && text.charAt(pos) == c;
    }

    /** Names a stray closing bracket for what it is, else gives {@code otherwise}. */
    private String unexpected(String otherwise) {
        if (peekIs(')')) {
            return "unexpected ')'";
        }
        if (peekIs(']')) {
            return "unexpected ']'";
        }
        return otherwise;
    }

    private ScimException fail(int position, String reason) {
        if (readingPath) {
            return ScimException.invalidPath("invalid path at position " + position + ": " + reason);
        }
        return ScimException.invalidFilter(position, reason);
    }
}
