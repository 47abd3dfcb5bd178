package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Resources array written on its own thread: every item in order, a failure surfacing, nothing left running. */
class ResourcesWrittenAlongsideTest {
    @Test
    void writesEveryItemInOrderIntoTheArray() throws IOException {
        List<String> threads = new ArrayList<>();
        try (ResourcesWrittenAlongside<Integer> resources = new ResourcesWrittenAlongside<>((out, n) -> {
            threads.add(Thread.currentThread().getName());
            out.writeStartObject();
            out.writeNumberField("n", n);
            out.writeStringField("text", "é \"" + n + "\" 😀");
            out.writeEndObject();
        })) {
            for (int n = 0; n < 5000; n++) {
                resources.accept(n);
            }
            resources.finish();

            JsonNode message = inAnObject(resources);

            assertThat(message.path("before").asInt()).isEqualTo(1);
            assertThat(message.path("after").asInt()).isEqualTo(2);
            JsonNode array = message.path("Resources");
            assertThat(array.size()).isEqualTo(5000);
            for (int n = 0; n < 5000; n++) {
                assertThat(array.get(n).path("n").asInt()).isEqualTo(n);
                assertThat(array.get(n).path("text").asText()).isEqualTo("é \"" + n + "\" 😀");
            }
            assertThat(threads).doesNotContain(Thread.currentThread().getName());
        }
    }

    @Test
    void anEmptyPageIsAnEmptyArray() throws IOException {
        try (ResourcesWrittenAlongside<Integer> resources = new ResourcesWrittenAlongside<>((out, n) -> out.writeNumber(n))) {
            resources.finish();

            assertThat(inAnObject(resources).path("Resources").isArray()).isTrue();
            assertThat(inAnObject(resources).path("Resources").size()).isZero();
        }
    }

    @Test
    void aFailureOfTheWriterIsThrownByFinish() {
        try (ResourcesWrittenAlongside<Integer> resources = new ResourcesWrittenAlongside<>((out, n) -> {
            if (n == 3) {
                throw new IllegalStateException("item 3 cannot be written");
            }
            out.writeNumber(n);
        })) {
            for (int n = 0; n < 10; n++) {
                resources.accept(n);
            }
            assertThatThrownBy(resources::finish).isInstanceOf(IllegalStateException.class)
                    .hasMessage("item 3 cannot be written");
        }
    }

    @Test
    @Timeout(30)
    void closingWithoutFinishingEndsTheWriter() throws InterruptedException {
        CountDownLatch written = new CountDownLatch(2);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        ResourcesWrittenAlongside<Integer> resources = new ResourcesWrittenAlongside<>((out, n) -> {
            seen.add(n);
            out.writeNumber(n);
            written.countDown();
        });
        resources.accept(1);
        resources.accept(2);
        assertThat(written.await(10, TimeUnit.SECONDS)).isTrue();

        // As when the search fails: close() ends the writer's loop and returns once it has ended.
        resources.close();
        resources.accept(3);

        assertThat(seen).containsExactly(1, 2);
    }

    private static JsonNode inAnObject(ResourcesWrittenAlongside<?> resources) {
        return ScimJson.parse(ScimJson.write(out -> {
            out.writeStartObject();
            out.writeNumberField("before", 1);
            out.writeFieldName("Resources");
            resources.writeTo(out);
            out.writeNumberField("after", 2);
            out.writeEndObject();
        }));
    }
}
