package dev.scimserver.directory;

/** The person behind a membership: what ToolJet's users table keeps across workspaces. */
public record Person(String email, String givenName, String familyName) {
}
