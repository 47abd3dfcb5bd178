package dev.scimserver.directory;

/**
 * A search's result with the database snapshot taken before it was read, in
 * {@code pg_current_snapshot()}'s text form: the result is what a fresh read gives for as long as
 * {@link UserService#unchangedSince} holds for that snapshot.
 */
public record SearchResultAsOf<T>(SearchResult<T> result, String snapshot) {
}
