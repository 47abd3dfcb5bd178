package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.scim.AsciiDigits;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import dev.scimserver.scim.JsonFields;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ScimType;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of a list request (RFC 7644 §3.4.2), from the URL of a GET or the SearchRequest body of
 * a POST {@code .search} (§3.4.3): filter, sort, projection, and index or cursor (RFC 9865) paging.
 */
record ListParameters(SearchQuery query, String attributes, String excludedAttributes) {
    /** The page size when the client names none. */
    static final int DEFAULT_COUNT = 100;
    /**
     * The largest page, advertised as {@code filter.maxResults} and {@code pagination.maxPageSize}: an
     * index page caps a larger count, a cursor page refuses it (see {@link #cursorCount}).
     */
    static final int MAX_RESULTS = 1000;
    static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    private static final List<String> SEARCH_REQUEST_MEMBERS = List.of("schemas", "attributes", "excludedAttributes",
            "filter", "sortBy", "sortOrder", "startIndex", "count", "cursor");

    /** The same request for the cursor page at {@code cursor}: what its walk asks for next. */
    ListParameters at(String cursor) {
        return new ListParameters(new SearchQuery(query.filter(), query.sort(), query.startIndex(), query.count(),
                cursor, null), attributes, excludedAttributes);
    }

    /** The same request for the index page at {@code startIndex}: what its walk asks for next. */
    ListParameters atIndex(int startIndex) {
        return new ListParameters(new SearchQuery(query.filter(), query.sort(), startIndex, query.count(), null, null),
                attributes, excludedAttributes);
    }

    static ListParameters fromQueryString(Context ctx) {
        return new ListParameters(query(single(ctx, "filter"), single(ctx, "sortBy"), single(ctx, "sortOrder"),
                single(ctx, "startIndex"), single(ctx, "count"), single(ctx, "cursor")),
                single(ctx, "attributes"), single(ctx, "excludedAttributes"));
    }

    /**
     * The one value of a query parameter, its name in any case, or {@code null}. Names are read as
     * attribute names are (RFC 7643 §2.1), as a SearchRequest's members are: a {@code Filter} ignored
     * would answer every resource to a client that asked for one. A parameter given twice (in any
     * spellings) is refused: RFC 7644 names each once, and taking the first of two filters would answer
     * a wider search than a client that meant both asked for, where the other servers it talks to may
     * take the last.
     */
    static String single(Context ctx, String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            if (parameter.getKey().equalsIgnoreCase(name)) {
                values.addAll(parameter.getValue());
            }
        }
        if (values.size() > 1) {
            String detail = name + " is given " + values.size() + " times: send it once";
            throw name.equals("filter") ? ScimException.badRequest(ScimType.INVALID_FILTER, detail)
                    : ScimException.invalidValue(detail);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    /** A SearchRequest message; its attributes are those of the query string (RFC 7644 §3.4.3). */
    static ListParameters fromSearchRequest(JsonNode body) {
        if (!body.isObject()) {
            throw ScimException.invalidSyntax("a SearchRequest is a JSON object");
        }
        Map<String, JsonNode> members = searchRequestMembers(body);
        JsonNode schemas = members.get("schemas");
        if (schemas != null && !JsonFields.containsTextIgnoringCase(schemas, SEARCH_REQUEST)) {
            throw ScimException.invalidValue("schemas must be [\"" + SEARCH_REQUEST + "\"]");
        }
        return new ListParameters(query(text(members, "filter"), text(members, "sortBy"), text(members, "sortOrder"),
                text(members, "startIndex"), text(members, "count"), text(members, "cursor")),
                list(members, "attributes"), list(members, "excludedAttributes"));
    }

    /**
     * The members by their names in RFC 7644 §3.4.3 (and RFC 9865's cursor), read in any case as every
     * attribute name is (RFC 7643 §2.1). Any other member is refused: a {@code "filtr"} ignored would
     * answer every resource to a client that asked for one.
     */
    private static Map<String, JsonNode> searchRequestMembers(JsonNode body) {
        Map<String, JsonNode> members = new HashMap<>();
        for (var it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = SEARCH_REQUEST_MEMBERS.stream().filter(known -> known.equalsIgnoreCase(field.getKey()))
                    .findFirst().orElseThrow(() -> ScimException.invalidSyntax("'"
                            + ClientText.abbreviate(field.getKey()) + "' is no member of a SearchRequest; its members "
                            + "are " + String.join(", ", SEARCH_REQUEST_MEMBERS)));
            if (members.put(name, field.getValue()) != null) {
                throw ScimException.invalidSyntax(name + " is given twice in the SearchRequest");
            }
        }
        return members;
    }

    static SearchQuery query(String filter, String startIndex, String count) {
        return query(filter, null, null, startIndex, count, null);
    }

    static SearchQuery query(String filter, String sortBy, String sortOrder, String startIndex, String count,
                             String cursor) {
        Filter parsed = filter == null ? null : FilterParser.parse(filter);
        SearchQuery.Sort sort = sort(sortBy, sortOrder);
        if (cursor != null) {
            if (startIndex != null) {
                throw ScimException.invalidValue("startIndex and cursor ask for two ways of paging: send one of them");
            }
            return new SearchQuery(parsed, sort, 1, cursorCount(count), cursor.trim(), null);
        }
        // RFC 7644 §3.4.2.4: a startIndex below 1 means 1, a negative count means 0.
        int start = Math.max(1, integer("startIndex", startIndex, 1));
        int size = Math.min(MAX_RESULTS, Math.max(0, integer("count", count, DEFAULT_COUNT)));
        return new SearchQuery(parsed, sort, start, size, null, null);
    }

    /** RFC 7644 §3.4.2.3: ascending unless told otherwise; sortOrder without sortBy has nothing to order. */
    private static SearchQuery.Sort sort(String sortBy, String sortOrder) {
        if (sortBy == null || sortBy.isBlank()) {
            return null;
        }
        boolean descending = false;
        if (sortOrder != null && !sortOrder.isBlank()) {
            String order = sortOrder.trim().toLowerCase(Locale.ROOT);
            if (!order.equals("ascending") && !order.equals("descending")) {
                throw ScimException.invalidValue("sortOrder must be ascending or descending");
            }
            descending = order.equals("descending");
        }
        try {
            return new SearchQuery.Sort(AttributePath.parse(sortBy.trim()), descending);
        } catch (ScimException e) {
            throw ScimException.invalidValue("sortBy is not an attribute path: " + e.detail());
        }
    }

    /**
     * RFC 9865 §2.1 (Table 3) defines {@code invalidCount} for a cursor page's count that is not between
     * 1 and the server's {@code maxPageSize}, so a larger one is refused, not capped: the client learns
     * the bound from the answer instead of walking with pages smaller than it believes it asked for.
     * Index paging keeps RFC 7644 §3.4.2.4's reading, where a server may return fewer than count.
     */
    private static int cursorCount(String count) {
        if (count == null || count.isBlank()) {
            return DEFAULT_COUNT;
        }
        try {
            long value = AsciiDigits.parseClampedInt(count.trim());
            if (value < 1 || value > MAX_RESULTS) {
                throw ScimException.badRequest(ScimType.INVALID_COUNT, "count must be between 1 and " + MAX_RESULTS
                        + " (pagination.maxPageSize) on a cursor page");
            }
            return (int) value;
        } catch (NumberFormatException e) {
            throw ScimException.badRequest(ScimType.INVALID_COUNT, "count must be an integer between 1 and " + MAX_RESULTS);
        }
    }

    private static int integer(String name, String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return AsciiDigits.parseClampedInt(text.trim());
        } catch (NumberFormatException e) {
            throw ScimException.invalidValue(name + " must be an integer");
        }
    }

    private static String text(Map<String, JsonNode> members, String field) {
        JsonNode value = members.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw ScimException.invalidValue(field + " must be a " + (field.equals("startIndex")
                    || field.equals("count") ? "number" : "string"));
        }
        return value.asText();
    }

    /** RFC 7644 §3.4.3 gives attributes as an array of strings; a comma-separated string is read too. */
    private static String list(Map<String, JsonNode> members, String field) {
        JsonNode value = members.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (!value.isArray()) {
            throw ScimException.invalidValue(field + " must be an array of attribute names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : value) {
            if (!name.isTextual()) {
                throw ScimException.invalidValue(field + " must be an array of attribute names");
            }
            names.add(name.asText());
        }
        return String.join(",", names);
    }
}
