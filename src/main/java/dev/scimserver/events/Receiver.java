package dev.scimserver.events;

import java.net.URI;
import java.util.Map;

/** The way out to an application's endpoint: one POST, its outcome, never an exception. */
public interface Receiver {
    DeliveryOutcome post(URI url, String contentType, Map<String, String> headers, byte[] body);
}
