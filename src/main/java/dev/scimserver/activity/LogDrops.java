package dev.scimserver.activity;

/**
 * What the provisioning log lost since the process started, by cause.
 *
 * @param bodiesDropped entries kept without their bodies: the queue's body budget was spent
 * @param entriesDropped entries not kept at all: the queue was full
 * @param entriesLost entries that reached the writer but could not be stored (the database was unavailable)
 */
public record LogDrops(long bodiesDropped, long entriesDropped, long entriesLost) {
}
