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
        writeAround(out, query, result, result.items().size(), () -> {
            for (T item : result.items()) {
                resources.write(out, item);
            }
        });
    }

    /**
     * The same message around resources written beforehand into {@code resources} ({@link
     * ConcurrentResources}), {@code itemsPerPage} of them: {@code out} writes into {@code body}, and
     * the resources' bytes go into it as they are, between the brackets of the array.
     */
    static void write(JsonGenerator out, SearchQuery query, SearchResult<?> result, int itemsPerPage,
                      SpooledBody resources, SpooledBody body) throws IOException {
        writeAround(out, query, result, itemsPerPage, () -> {
            out.flush();
            resources.writeTo(body);
        });
    }

    @FunctionalInterface
    private interface Resources {
        void write() throws IOException;
    }

    private static void writeAround(JsonGenerator out, SearchQuery query, SearchResult<?> result, int itemsPerPage,
                                    Resources resources) throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("schemas");
        out.writeString(ScimUrns.LIST_RESPONSE);
        out.writeEndArray();
        out.writeNumberField("totalResults", result.totalResults());
        out.writeNumberField("itemsPerPage", itemsPerPage);
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
        resources.write();
        out.writeEndArray();
        out.writeEndObject();
    }
}
