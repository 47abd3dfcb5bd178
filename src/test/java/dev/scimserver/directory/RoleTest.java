package dev.scimserver.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ToolJet's default groups are the roles: no custom group may take or imitate their names. */
class RoleTest {
    @ParameterizedTest
    @ValueSource(strings = {"admin", "ADMIN", "Builder", "end-user", "End-User"})
    void aRolesNameInAnyCaseIsOne(String name) {
        assertThat(Role.isRoleName(name)).isTrue();
        assertThat(Role.looksLikeRoleName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFF21\uFF24\uFF2D\uFF29\uFF2E", "end\u2010user", "end\u2013user", "\uFF45nd-user",
        "adm\u0131n", "ADM\u0131N\u00a0"})
    void aFormThatOnlyLooksLikeOneIsHeldToItAsANewName(String name) {
        assertThat(Role.isRoleName(name)).isFalse();
        assertThat(Role.looksLikeRoleName(name)).isTrue();
    }

    /** A group so named before names were trimmed of no-break spaces keeps its name through member changes. */
    @org.junit.jupiter.api.Test
    void aStoredNameIsARolesOnlyAsItIs() {
        assertThat(Role.isRoleName("admin\u00a0")).isFalse();
        assertThat(Role.isRoleName("ADMIN")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {" admin", "ADMIN\u00a0", "\u3000Builder\t"})
    void aRoleIsFoundWithWhiteSpaceAtItsEnds(String text) {
        assertThat(Role.find(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adm\u0131n", "end-u\u017Fer"})
    void lettersThatOnlyUpperCaseMakesOneAreNotFolded(String text) {
        assertThat(Role.find(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admins", "end user", "enduser", "builders-team", "tooljet-admins"})
    void otherNamesAreNot(String name) {
        assertThat(Role.looksLikeRoleName(name)).isFalse();
    }
}
