package dev.scimserver.activity;

import java.util.List;
import java.util.Optional;

/** One page of a search in the log, newest first, and the opaque cursor of the next page unless this is the last. */
public record LogPage(List<LoggedRequest> items, Optional<String> nextCursor) {
}
