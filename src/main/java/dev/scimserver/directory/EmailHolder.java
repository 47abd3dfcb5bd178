package dev.scimserver.directory;

/** Who else has an address as the email they sign in with, as a member's new email finds it. */
public enum EmailHolder {
    /** Nobody: the member's person takes it. */
    NOBODY,
    /** Another member of the same workspace: the address is taken there (409). */
    THIS_WORKSPACE,
    /**
     * Members of other workspaces only: the member's person keeps its own address, as a person
     * shared with another workspace does, and nothing tells this workspace that the address is used.
     */
    OTHER_WORKSPACES
}
