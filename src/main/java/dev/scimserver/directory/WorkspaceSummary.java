package dev.scimserver.directory;

import java.time.Instant;
import java.util.Map;

/**
 * A workspace's directory in figures: its members by status, its custom groups, its active members
 * per role (those who can act as that role), and when its journal last recorded a change
 * ({@code null}: never).
 */
public record WorkspaceSummary(long activeMembers, long archivedMembers, long customGroups,
                               Map<Role, Long> activeMembersPerRole, Instant lastChangeAt) {
    public WorkspaceSummary {
        activeMembersPerRole = Map.copyOf(activeMembersPerRole);
    }
}
