package dev.scimserver.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code LOG_FORMAT=json}: each log event as one JSON object on one line, for log shippers:
 * {@code timestamp} (RFC 3339, UTC, always to the millisecond: a shipper's fixed pattern fails on a
 * time whose fraction {@link Instant#toString} leaves out), {@code level}, {@code logger}, {@code thread}, {@code message},
 * {@code requestId} and {@code workspace} when the event belongs to a request (the web adapter puts
 * them in the MDC), and {@code exception} with the stack trace when there is one. Line breaks inside
 * values are escaped by JSON, so one event is always one line.
 */
public final class JsonLogLines extends EncoderBase<ILoggingEvent> {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator out = JSON.createGenerator(line)) {
            out.writeStartObject();
            out.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            out.writeStringField("level", event.getLevel().toString());
            out.writeStringField("logger", event.getLoggerName());
            out.writeStringField("thread", event.getThreadName());
            out.writeStringField("message", event.getFormattedMessage());
            Map<String, String> context = event.getMDCPropertyMap();
            writeIfPresent(out, "requestId", context.get("requestId"));
            writeIfPresent(out, "workspace", context.get("workspace"));
            if (event.getThrowableProxy() != null) {
                out.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log line", e);
        }
        line.write('\n');
        return line.toByteArray();
    }

    private static void writeIfPresent(JsonGenerator out, String field, String value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value);
        }
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}
