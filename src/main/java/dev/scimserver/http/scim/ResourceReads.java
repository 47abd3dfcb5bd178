package dev.scimserver.http.scim;

import dev.scimserver.scim.Projection;
import io.javalin.http.Context;

/**
 * How one resource type answers a GET of one resource and its lists (GET, and POST {@code .search}):
 * users are read whole and then written, groups are written as their members stream in.
 */
interface ResourceReads {
    void get(Context ctx, String id, Projection projection);

    void list(Context ctx, ListParameters request);
}
