package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What an administrator may type as a credential's id. */
class WorkspaceCredentialsTest {

    @Test
    void onlyCanonicalUuidsNameStoredCredentials() {
        UUID id = UUID.randomUUID();
        assertThat(WorkspaceCredentials.uuid(id.toString())).contains(id);
        assertThat(WorkspaceCredentials.uuid(id.toString().toUpperCase())).contains(id);
        assertThat(WorkspaceCredentials.uuid("1-1-1-1-1")).isEmpty();
        assertThat(WorkspaceCredentials.uuid("environment-token")).isEmpty();
        assertThat(WorkspaceCredentials.uuid("")).isEmpty();
    }
}
