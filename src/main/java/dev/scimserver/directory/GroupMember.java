package dev.scimserver.directory;

import java.util.UUID;

/** One member of one group, as a read of several groups' members hands them over. */
public record GroupMember(UUID groupId, MemberRef member) {
}
