package dev.scimserver.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admin API's document names the events set-push and set-poll deliver (TokenEventType, which
 * NewSubscription's rule for those formats refers to) as the types that have an RFC 9967 event.
 */
class TokenEventTypesDocumentedTest {
    @Test
    void theDocumentedTokenEventsAreThoseWithAnRfc9967Event() throws IOException {
        JsonNode document;
        try (InputStream in = EventType.class.getResourceAsStream("/admin/openapi.json")) {
            document = new ObjectMapper().readTree(in);
        }
        List<String> documented = new ArrayList<>();
        document.at("/components/schemas/TokenEventType/enum").forEach(type -> documented.add(type.asText()));
        assertThat(documented).containsExactlyElementsOf(Arrays.stream(EventType.values())
                .filter(type -> type.rfc9967().isPresent()).map(EventType::wireName).toList());
        assertThat(document.at("/components/schemas/NewSubscription/allOf/1/then/properties/events/items/$ref")
                .asText()).isEqualTo("#/components/schemas/TokenEventType");
    }
}
