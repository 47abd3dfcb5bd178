package dev.scimserver.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A slug is 1 to 63 characters of [a-z0-9-]; anything else is the administrator's mistake. */
class WorkspaceSlugTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "a", "0", "-", "acme-eu-1", "x123456789x123456789x123456789x123456789x123456789x123456789xyz"})
    void acceptsOneTo63LowercaseLettersDigitsAndHyphens(String slug) {
        assertThat(WorkspaceSlug.parse(slug).value()).isEqualTo(slug);
        assertThat(WorkspaceSlug.parse(slug).toString()).isEqualTo(slug);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Acme", "acme_eu", "acme eu", "acme.eu", "acmé", "acme/eu", " acme", "acme\n",
            "x123456789x123456789x123456789x123456789x123456789x123456789xyzw"})
    void refusesAnythingElse(String slug) {
        assertThatThrownBy(() -> WorkspaceSlug.parse(slug))
                .isInstanceOfSatisfying(AccessRuleException.class, e -> assertThat(e.field()).isEqualTo("slug"))
                .hasMessage("a workspace slug is 1 to 63 characters of a-z, 0-9 and '-'");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> WorkspaceSlug.parse(null)).isInstanceOf(AccessRuleException.class);
    }

    @Test
    void theDefaultWorkspacesSlugIsDefault() {
        assertThat(WorkspaceSlug.DEFAULT).isEqualTo(WorkspaceSlug.parse("default"));
    }
}
