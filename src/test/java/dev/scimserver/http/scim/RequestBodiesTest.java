package dev.scimserver.http.scim;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBodiesTest {
    @Test
    void aBodyThatStalledIs408AndOneThatEndedShortIs400() {
        // As the container reports an idle timeout while a body is read: the timeout as the cause.
        IOException stalled = new IOException(new TimeoutException("Idle timeout expired: 60000/60000 ms"));
        assertThat(RequestBodies.unreadable(stalled).status()).isEqualTo(408);
        assertThat(RequestBodies.unreadable(new IOException("early EOF")).status()).isEqualTo(400);
        assertThat(RequestBodies.unreadable(new IOException("early EOF")).detail()).contains("ended before");
    }
}
