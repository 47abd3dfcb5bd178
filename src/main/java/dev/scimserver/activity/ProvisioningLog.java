package dev.scimserver.activity;

import dev.scimserver.scim.CanonicalUuids;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reading the provisioning log: what the admin API and the console show. Entries are newest first and
 * paged by an opaque cursor; a workspace sees only its own entries. The entries of requests refused
 * before any workspace was known (wrong credentials, throttled, provisioning switched off) belong to
 * no workspace: they are read with {@link #searchUnattributed} and {@link #unattributedEntry}, which
 * only the administrator of the whole server may be shown.
 */
public final class ProvisioningLog {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private final ProvisioningLogStore store;
    private final ProvisioningLogRecorder recorder;

    public ProvisioningLog(ProvisioningLogStore store, ProvisioningLogRecorder recorder) {
        this.store = store;
        this.recorder = recorder;
    }

    /**
     * One page of the workspace's entries that match {@code filter}, newest first. {@code cursor} is
     * {@code null} or empty for the first page, else the {@code nextCursor} of the page before;
     * {@code limit} from 1 to {@value #MAX_LIMIT}. {@link InvalidLogQueryException} for a cursor or a
     * limit out of bounds.
     */
    public LogPage search(UUID workspaceId, RequestFilter filter, String cursor, int limit) {
        if (workspaceId == null) {
            throw new IllegalArgumentException("workspaceId is null: use searchUnattributed");
        }
        return page(workspaceId, filter, cursor, limit);
    }

    /** As {@link #search}, over the entries of no workspace. */
    public LogPage searchUnattributed(RequestFilter filter, String cursor, int limit) {
        return page(null, filter, cursor, limit);
    }

    /** The workspace's entry with its bodies; empty when {@code id} names none of the workspace's (or is no id). */
    public Optional<LogEntry> entry(UUID workspaceId, String id) {
        if (workspaceId == null) {
            throw new IllegalArgumentException("workspaceId is null: use unattributedEntry");
        }
        return find(workspaceId, id);
    }

    /** As {@link #entry}, among the entries of no workspace. */
    public Optional<LogEntry> unattributedEntry(String id) {
        return find(null, id);
    }

    /** What the log has lost since the process started. */
    public LogDrops drops() {
        return recorder.drops();
    }

    /** Entries recorded and not yet stored. */
    public int queueDepth() {
        return recorder.queueDepth();
    }

    private LogPage page(UUID workspaceId, RequestFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidLogQueryException("limit", "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        LogPosition after = LogCursor.parse(cursor, workspaceId, filter);
        List<LoggedRequest> found = store.search(workspaceId, filter, after, limit + 1);
        if (found.size() <= limit) {
            return new LogPage(found, Optional.empty());
        }
        List<LoggedRequest> items = found.subList(0, limit);
        LoggedRequest last = items.get(limit - 1);
        return new LogPage(List.copyOf(items), Optional.of(LogCursor.of(new LogPosition(last.receivedAt(), last.id()),
                workspaceId, filter)));
    }

    private Optional<LogEntry> find(UUID workspaceId, String id) {
        return CanonicalUuids.parse(id).flatMap(parsed -> store.find(workspaceId, parsed));
    }
}
