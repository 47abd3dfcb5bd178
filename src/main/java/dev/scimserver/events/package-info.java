/**
 * The changes delivered to the application: each change journal row as an event ({@link
 * dev.scimserver.events.ChangeEvent}), a workspace's subscriptions ({@link
 * dev.scimserver.events.Subscriptions}), and the delivery state machine ({@link
 * dev.scimserver.events.DeliveryState}): claims shared by every server process, attempts with a retry
 * schedule of jittered delays ({@link dev.scimserver.events.RetrySchedule}), dead letters after 24
 * hours, a subscription paused after 24 hours of failure, replay, and the RFC 8936 poll queue. The two
 * message forms are here too: Standard Webhooks signatures and RFC 9967 security event tokens (signed
 * through {@link dev.scimserver.events.EventSigner}).
 *
 * <p>Storage goes through {@link dev.scimserver.events.EventStore}, outbound HTTP through {@link
 * dev.scimserver.events.Receiver} (the {@code delivery} package), the SCIM representation of a resource
 * through {@link dev.scimserver.events.Representations}. May import {@code scim}; never {@code store},
 * {@code http}, {@code delivery}, {@code app}, Javalin, Jdbi or JDBC.
 */
package dev.scimserver.events;
