package dev.scimserver.scim;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which texts name an id this server gave. */
class CanonicalUuidsTest {

    @Test
    void theCanonicalFormInEitherCaseIsAnId() {
        UUID id = UUID.randomUUID();
        assertThat(CanonicalUuids.parse(id.toString())).contains(id);
        assertThat(CanonicalUuids.parse(id.toString().toUpperCase())).contains(id);
    }

    @Test
    void everyOtherSpellingThatUuidFromStringTakesIsNone() {
        UUID id = UUID.fromString("01234567-0abc-0def-0123-0123456789ab");
        // Each of these is read as the id above by UUID.fromString, or as another id, or refused; none is an id.
        assertThat(CanonicalUuids.parse("+1234567-0abc-0def-0123-0123456789ab")).isEmpty();
        assertThat(CanonicalUuids.parse("01234567-+abc-0def-0123-0123456789ab")).isEmpty();
        assertThat(CanonicalUuids.parse("1-1-1-1-1")).isEmpty();
        assertThat(CanonicalUuids.parse("001234567-abc-0def-0123-0123456789ab")).isEmpty();
        assertThat(CanonicalUuids.parse(id + " ")).isEmpty();
        assertThat(CanonicalUuids.parse("environment-token")).isEmpty();
        assertThat(CanonicalUuids.parse("")).isEmpty();
        assertThat(CanonicalUuids.parse(null)).isEmpty();
    }
}
