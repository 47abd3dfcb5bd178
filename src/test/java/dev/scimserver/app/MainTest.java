package dev.scimserver.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Main} in a process of its own: how a start or an {@code admin} command that cannot go on ends. */
class MainTest {

    @Test
    void anAdminCommandWithADotEnvItCannotReadSaysWhyAndExitsTwo(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(".env"), "# caf\u00e9\nSCIM_ADMIN_TOKEN=t\n".getBytes(StandardCharsets.ISO_8859_1));
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of(), "admin", "workspaces", "list");
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
        assertThat(ended.output()).isEqualTo("error: .env line 1 is not UTF-8 text: save the file as UTF-8\n");
    }

    @Test
    void aServerWithADotEnvItCannotParseSaysWhyAndExitsTwo(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "SCIM_ADMIN_TOKEN=\"secret-value\n");
        ServerProcess.Ended ended = ServerProcess.runToEnd(dir, Map.of());
        assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
        assertThat(ended.output()).contains("configuration error: .env line 1 opens a quote")
                .doesNotContain("secret-value", "Exception");
    }
}
