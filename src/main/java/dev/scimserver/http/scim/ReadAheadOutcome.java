package dev.scimserver.http.scim;

/** What became of a page read ahead of its request ({@link PageReadAhead}). */
public enum ReadAheadOutcome {
    /** Asked for, and answered: nothing in the workspace had changed since it was read. */
    ANSWERED,
    /** Asked for, but the workspace had changed since it was read: read again. */
    CHANGED,
    /** Asked for before its reader had begun it (busy, or not yet scheduled): the request read it itself. */
    UNREAD,
    /** Its read failed; the request read the page itself. */
    FAILED,
    /** Never asked for within the time a page waits: the walk stopped or went elsewhere. */
    ABANDONED
}
