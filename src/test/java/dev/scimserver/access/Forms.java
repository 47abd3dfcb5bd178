package dev.scimserver.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Token request bodies for the tests, as the web adapter hands them over: each name once. */
final class Forms {
    private Forms() {
    }

    static Map<String, List<String>> of(String... namesAndValues) {
        Map<String, List<String>> form = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return form;
    }
}
