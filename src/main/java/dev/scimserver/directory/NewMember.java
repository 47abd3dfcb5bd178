package dev.scimserver.directory;

/** A user to create: the person (with its password hash, or null), and the membership proposed for it. */
public record NewMember(Person person, String passwordHash, Member member) {
}
