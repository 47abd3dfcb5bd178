package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Where a response's resources are: its base URL with the path of Users or of Groups after it,
 * escaped for a JSON string once for all the resources the response writes, then written with each
 * resource's id as bytes. Each user of a page carries its location and those of its groups.
 */
final class Locations {
    private final byte[] users;
    private final byte[] groups;

    private Locations(String baseUrl) {
        users = JsonStringEncoder.getInstance().quoteAsUTF8(baseUrl + "/Users/");
        groups = JsonStringEncoder.getInstance().quoteAsUTF8(baseUrl + "/Groups/");
    }

    /** The locations under {@code baseUrl}, as the request named the server (which may hold anything to escape). */
    static Locations of(String baseUrl) {
        return new Locations(baseUrl);
    }

    /** An id's text as UTF-8, which is ASCII and holds nothing a JSON string escapes. */
    static byte[] ascii(UUID id) {
        return id.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the location of the user {@code id} ({@link #ascii}) as a string value. */
    void writeUser(JsonGenerator out, byte[] id) throws IOException {
        write(out, users, id);
    }

    /** Writes the location of the group {@code id} ({@link #ascii}) as a string value. */
    void writeGroup(JsonGenerator out, byte[] id) throws IOException {
        write(out, groups, id);
    }

    private static void write(JsonGenerator out, byte[] prefix, byte[] id) throws IOException {
        byte[] location = new byte[prefix.length + id.length];
        System.arraycopy(prefix, 0, location, 0, prefix.length);
        System.arraycopy(id, 0, location, prefix.length, id.length);
        out.writeRawUTF8String(location, 0, location.length);
    }
}
