package dev.scimserver.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code LOG_FORMAT=json}: every event is one line that parses as a JSON object with the fields shippers read. */
class JsonLogLinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.scimserver.http.scim.ScimApi");

    private JsonNode encoded(LoggingEvent event) throws Exception {
        JsonLogLines encoder = new JsonLogLines();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        return JSON.readTree(line);
    }

    /** A time on a whole second keeps its milliseconds: a shipper's fixed pattern reads every line. */
    @Test
    void theTimestampAlwaysHasItsMilliseconds() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "on the second", null, null);
        event.setMDCPropertyMap(Map.of());
        event.setTimeStamp(Instant.parse("2026-12-07T02:52:00Z").toEpochMilli());
        assertThat(encoded(event).path("timestamp").asText()).isEqualTo("2026-12-07T02:52:00.000Z");
        event.setTimeStamp(Instant.parse("2026-12-07T02:52:00.1Z").toEpochMilli());
        assertThat(encoded(event).path("timestamp").asText()).isEqualTo("2026-12-07T02:52:00.100Z");
    }

    @Test
    void aRequestsEventCarriesTimeLevelLoggerMessageRequestIdAndWorkspace() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                "request {}: a \"quoted\"\nmultiline message", null, new Object[] {"r-1"});
        event.setMDCPropertyMap(Map.of("requestId", "r-1", "workspace", "0b7e6a52-6a3f-4c59-9c1e-bb2b6a7e2a10"));
        JsonNode line = encoded(event);
        assertThat(Instant.parse(line.path("timestamp").asText())).isEqualTo(Instant.ofEpochMilli(event.getTimeStamp()));
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("logger").asText()).isEqualTo("dev.scimserver.http.scim.ScimApi");
        assertThat(line.path("message").asText()).isEqualTo("request r-1: a \"quoted\"\nmultiline message");
        assertThat(line.path("requestId").asText()).isEqualTo("r-1");
        assertThat(line.path("workspace").asText()).isEqualTo("0b7e6a52-6a3f-4c59-9c1e-bb2b6a7e2a10");
        assertThat(line.has("exception")).isFalse();
    }

    @Test
    void anEventOutsideARequestHasNoRequestFieldsAndAnExceptionKeepsItsStackTraceOnTheLine() throws Exception {
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "failed",
                new IllegalStateException("broken"), null);
        event.setMDCPropertyMap(Map.of());
        JsonNode line = encoded(event);
        assertThat(line.has("requestId")).isFalse();
        assertThat(line.has("workspace")).isFalse();
        assertThat(line.path("exception").asText()).contains("IllegalStateException: broken")
                .contains("JsonLogLinesTest");
    }
}
