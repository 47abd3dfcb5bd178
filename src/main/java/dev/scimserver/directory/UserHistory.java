package dev.scimserver.directory;

import java.util.List;

/**
 * The newest changes the journal recorded of one user, newest first, at most {@link #SHOWN}, and
 * whether it holds older ones.
 */
public record UserHistory(List<JournalEntry> entries, boolean olderChanges) {
    /** Enough to answer "why is this user archived?"; the journal itself keeps every change. */
    public static final int SHOWN = 100;
}
