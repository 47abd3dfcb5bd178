package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A body keeps every byte written, in order, in memory and once it has gone to a file. */
class SpooledBodyTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32 * 1024 - 1, 32 * 1024, 32 * 1024 + 1, 100_000, SpooledBody.IN_MEMORY,
            SpooledBody.IN_MEMORY + 1, 3 * SpooledBody.IN_MEMORY + 17})
    void keepsEveryByteInOrder(int size) throws IOException {
        byte[] written = new byte[size];
        new Random(size).nextBytes(written);

        try (SpooledBody body = new SpooledBody()) {
            writeInPieces(body, written);

            assertThat(body.size()).isEqualTo(size);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            body.writeTo(sent);
            assertThat(sent.toByteArray()).isEqualTo(written);
            assertThat(body.head(RequestObservation.RESPONSE_HEAD_BYTES))
                    .isEqualTo(Arrays.copyOf(written, Math.min(size, RequestObservation.RESPONSE_HEAD_BYTES)));
        }
    }

    /** Pieces of uneven sizes, single bytes among them, as a generator's flushes and a copy would come. */
    private static void writeInPieces(SpooledBody body, byte[] bytes) throws IOException {
        int[] sizes = {1, 7000, 40_000, 3, 65_536, 129_000};
        for (int at = 0, i = 0; at < bytes.length; i++) {
            int n = Math.min(sizes[i % sizes.length], bytes.length - at);
            if (n == 1) {
                body.write(bytes[at]);
            } else {
                body.write(bytes, at, n);
            }
            at += n;
        }
    }
}
