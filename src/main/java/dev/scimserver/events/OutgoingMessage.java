package dev.scimserver.events;

import java.util.Map;

/** One event as it goes out: media type, headers and body. */
record OutgoingMessage(String contentType, Map<String, String> headers, byte[] body) {
}
