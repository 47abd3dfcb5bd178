package dev.scimserver.http.console;


import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The link to another page of a list: the same filters, another cursor. */
final class ListLinks {
    private final String path;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    ListLinks(String path) {
        this.path = path;
    }

    /** Keeps a filter in every link; a blank one is left out. */
    ListLinks with(String name, String value) {
        if (value != null && !value.isBlank()) {
            parameters.put(name, value);
        }
        return this;
    }

    /** The link with {@code cursor}; {@code null} when there is no such page. */
    String at(String cursor) {
        if (cursor == null) {
            return null;
        }
        return first() + (parameters.isEmpty() ? "?" : "&") + "cursor=" + encode(cursor);
    }

    /** The link to the first page, with the same filters. */
    String first() {
        StringJoiner query = new StringJoiner("&", path + "?", "").setEmptyValue(path);
        parameters.forEach((name, value) -> query.add(name + "=" + encode(value)));
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
