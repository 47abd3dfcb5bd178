package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.SearchResult;
import dev.scimserver.scim.ScimUrns;

import java.io.IOException;

/**
 * The ListResponse message (RFC 7644 §3.4.2), with RFC 9865's cursors on a cursor page, written
 * as it goes: a resource may be written from rows still arriving (a group's members).
 */
final class ListResponses {
    private ListResponses() {
    }

    /** Writes one resource of the list, as the response will show it (projected). */
    @FunctionalInterface
    interface ResourceWriter<T> {
        void write(JsonGenerator out, T item) throws IOException;
    }

    static <T> void write(JsonGenerator out, SearchQuery query, SearchResult<T> result, ResourceWriter<T> resources)
            throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("schemas");
        out.writeString(ScimUrns.LIST_RESPONSE);
        out.writeEndArray();
        out.writeNumberField("totalResults", result.totalResults());
        out.writeNumberField("itemsPerPage", result.items().size());
        if (query.cursorPaging()) {
            // RFC 9865 §2: nextCursor is left out only on the last page; previousCursor is optional.
            if (result.nextCursor() != null) {
                out.writeStringField("nextCursor", result.nextCursor());
            }
            if (result.previousCursor() != null) {
                out.writeStringField("previousCursor", result.previousCursor());
            }
        } else {
            out.writeNumberField("startIndex", query.startIndex());
        }
        out.writeArrayFieldStart("Resources");
        for (T item : result.items()) {
            resources.write(out, item);
        }
        out.writeEndArray();
        out.writeEndObject();
    }
}
