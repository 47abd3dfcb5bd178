package dev.scimserver.directory;

import java.util.List;

/** A user as read: the membership and its custom groups, by name. */
public record UserView(Member member, List<MemberRef> groups) {
}
