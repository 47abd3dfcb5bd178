package dev.scimserver.activity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage of the provisioning log. A {@code workspaceId} of {@code null} means the entries of no
 * workspace: requests refused before one was known. Implementations throw an unchecked exception
 * when the database cannot be reached; the callers decide what that costs.
 */
public interface ProvisioningLogStore {
    /** Stores the entries in one transaction, and adds them to the workspaces' {@link #minuteCounts}. */
    void insert(List<LogEntry> entries);

    /** Whether {@code request}'s entry is stored. */
    boolean holds(LoggedRequest request);

    /** The workspace's entries that match, newest first, strictly older than {@code after} when it is given. */
    List<LoggedRequest> search(UUID workspaceId, RequestFilter filter, LogPosition after, int limit);

    Optional<LogEntry> find(UUID workspaceId, UUID id);

    /**
     * The workspace's requests per minute since {@code since} (the start of a minute), only the minutes
     * that had any, oldest first: what {@link #insert} stored, minute by minute in UTC.
     */
    List<MinuteCount> minuteCounts(UUID workspaceId, Instant since);

    /**
     * Makes the daily partitions of {@code today} and the {@code daysAhead} days after it that are
     * missing, and drops those of the days before {@code keepFrom} with their minutes' counts; answers how
     * many partitions it dropped.
     *
     * @throws LogUpkeepException when the database refuses it, saying why
     */
    int upkeep(LocalDate today, int daysAhead, LocalDate keepFrom);
}
