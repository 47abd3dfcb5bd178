package dev.scimserver.http.scim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The resources a list's reading thread hands over are written in order, separated by commas, however
 * many more there are than the queue holds; a failure of the writing thread reaches the reader, and
 * neither thread is ever left waiting on the other. (The timeouts only end a hang; no speed is judged.)
 */
@Timeout(60)
class ConcurrentResourcesTest {
    private static final int MANY = 2_000;

    @Test
    void everyResourceIsWrittenInOrderBetweenCommas() throws IOException {
        try (SpooledBody body = new SpooledBody()) {
            int written;
            try (ConcurrentResources<Integer> resources = new ConcurrentResources<>(body, (out, n) -> {
                out.writeStartObject();
                out.writeNumberField("n", n);
                out.writeEndObject();
            })) {
                IntStream.range(0, MANY).forEach(resources::add);
                written = resources.finish();
            }

            assertThat(written).isEqualTo(MANY);
            assertThat(text(body)).isEqualTo(IntStream.range(0, MANY).mapToObj(n -> "{\"n\":" + n + "}")
                    .collect(Collectors.joining(",")));
        }
    }

    @Test
    void noResourceWritesNothing() throws IOException {
        try (SpooledBody body = new SpooledBody();
             ConcurrentResources<Integer> resources = new ConcurrentResources<>(body, (out, n) -> out.writeNumber(n))) {
            assertThat(resources.finish()).isZero();
            assertThat(body.size()).isZero();
        }
    }

    /** A failure the writing thread keeps to itself, and an Error that ends it. */
    static Stream<Throwable> failures() {
        return Stream.of(new IllegalArgumentException("resource 3 cannot be written"),
                new Error("resource 3 ended the writing thread"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFailureOfTheWritingThreadReachesTheReaderAndLeavesItNotWaiting(Throwable failure) {
        try (SpooledBody body = new SpooledBody();
             ConcurrentResources<Integer> resources = new ConcurrentResources<>(body, (out, n) -> {
                 if (n == 3) {
                     throwUnchecked(failure);
                 }
                 out.writeNumber(n);
             })) {
            // Far more than the queue holds: none of them may leave the reading thread waiting.
            IntStream.range(0, MANY).forEach(resources::add);

            assertThatThrownBy(resources::finish).isSameAs(failure);
        }
    }

    private static void throwUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw (Error) failure;
    }

    @Test
    void aReadThatFailsEndsTheWritingWithoutFinishing() throws IOException {
        try (SpooledBody body = new SpooledBody()) {
            try (ConcurrentResources<Integer> resources = new ConcurrentResources<>(body, (out, n) -> out.writeNumber(n))) {
                IntStream.range(0, MANY).forEach(resources::add);
            }

            // Closed, the writing has ended: the body no longer grows.
            long size = body.size();
            assertThat(text(body)).startsWith("0,1,2");
            assertThat(body.size()).isEqualTo(size);
        }
    }

    private static String text(SpooledBody body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
