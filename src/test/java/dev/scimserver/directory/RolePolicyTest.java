package dev.scimserver.directory;

import dev.scimserver.scim.ScimException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of roles from groups, as tables: the effective role per source, what a mapping may name. */
class RolePolicyTest {
    @Test
    void theEffectiveRoleIsTheSourcesOne() {
        Optional<Role> none = Optional.empty();
        assertThat(RoleSource.ATTRIBUTE.effective(Role.BUILDER, Optional.of(Role.ADMIN))).isEqualTo(Role.BUILDER);
        assertThat(RoleSource.GROUPS.effective(Role.ADMIN, none)).isEqualTo(Role.END_USER);
        assertThat(RoleSource.GROUPS.effective(Role.ADMIN, Optional.of(Role.BUILDER))).isEqualTo(Role.BUILDER);
        assertThat(RoleSource.HIGHEST.effective(Role.BUILDER, none)).isEqualTo(Role.BUILDER);
        assertThat(RoleSource.HIGHEST.effective(Role.BUILDER, Optional.of(Role.ADMIN))).isEqualTo(Role.ADMIN);
        assertThat(RoleSource.HIGHEST.effective(Role.ADMIN, Optional.of(Role.END_USER))).isEqualTo(Role.ADMIN);
    }

    @Test
    void aGroupGivesTheHighestRoleMappedToItByNameInAnyCaseOrById() {
        UUID id = UUID.randomUUID();
        RolePolicy policy = new RolePolicy(RoleSource.GROUPS, List.of()).withMappings(List.of(
                RoleMapping.parse("Builders", "builder"), RoleMapping.parse(id.toString().toUpperCase(), "admin")));
        assertThat(policy.roleOf(UUID.randomUUID(), "BUILDERS")).contains(Role.BUILDER);
        assertThat(policy.roleOf(id, "Builders")).contains(Role.ADMIN);
        assertThat(policy.roleOf(UUID.randomUUID(), "others")).isEmpty();
        assertThat(policy.roleOf(UUID.randomUUID(), id.toString())).as("a group named with the id").isEmpty();
        assertThat(policy.rolesFollow(UUID.randomUUID(), "others", "builders")).isTrue();
        assertThat(policy.withSource(RoleSource.ATTRIBUTE).rolesFollow(id, "x", "x")).isFalse();
    }

    @Test
    void aMappingOfARoleNameAnUnknownRoleABlankGroupOrAGroupTwiceIsInvalidValue() {
        for (String[] mapping : new String[][] {{"Admin", "admin"}, {" end-user ", "builder"}, {"g", "owner"},
                {"  ", "admin"}, {null, "admin"}, {"g", null}}) {
            assertThatThrownBy(() -> RoleMapping.parse(mapping[0], mapping[1])).isInstanceOf(ScimException.class)
                    .hasFieldOrPropertyWithValue("status", 400);
        }
        List<RoleMapping> twice = List.of(RoleMapping.parse("Ops", "admin"), RoleMapping.parse("ops", "builder"));
        assertThatThrownBy(() -> new RolePolicy(RoleSource.ATTRIBUTE, List.of()).withMappings(twice)).isInstanceOf(ScimException.class);
        assertThatThrownBy(() -> RoleSource.parse("Groups")).isInstanceOf(ScimException.class);
    }
}
