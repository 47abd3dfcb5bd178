package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.scimserver.scim.Projection;

import java.io.IOException;

/**
 * One resource as it goes out: its id, the version behind its ETag, its location, and how it is
 * written under a projection. A user is written as it goes, as a GET writes it: making its tree only
 * to write the tree out again was a visible part of every user write's CPU (bench/RESULTS.md).
 */
record ScimResponse(String id, long version, String location, Body body) {
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator out, Projection projection) throws IOException;
    }
}
