package dev.scimserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.scim.ScimUrns;

/** The ListResponse message (RFC 7644 §3.4.2), with RFC 9865's cursors on a cursor page. */
final class ListResponses {
    private ListResponses() {
    }

    /** {@code resources} already projected. */
    static ObjectNode body(SearchQuery query, SearchResult<ObjectNode> result) {
        ObjectNode body = ScimApi.object();
        body.putArray("schemas").add(ScimUrns.LIST_RESPONSE);
        body.put("totalResults", result.totalResults());
        body.put("itemsPerPage", result.items().size());
        if (query.cursorPaging()) {
            // RFC 9865 §2: nextCursor is left out only on the last page; previousCursor is optional.
            if (result.nextCursor() != null) {
                body.put("nextCursor", result.nextCursor());
            }
            if (result.previousCursor() != null) {
                body.put("previousCursor", result.previousCursor());
            }
        } else {
            body.put("startIndex", query.startIndex());
        }
        ArrayNode resources = body.putArray("Resources");
        result.items().forEach(resources::add);
        return body;
    }
}
