package dev.scimserver.activity;

import java.time.Instant;

/** One minute of a workspace's requests: how many, and how many of them failed by the client's fault or ours. */
public record MinuteCount(Instant minute, long requests, long clientErrors, long serverErrors) {
}
