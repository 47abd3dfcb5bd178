/**
 * The events' way out: one HTTPS POST per attempt to the receiver a subscription names, with
 * {@link java.net.http.HttpClient}: a 10-second timeout, no redirects followed, a body read up to 64 KiB,
 * a User-Agent naming this server, and the addresses the receiver's name resolves to checked at every
 * attempt (private, link-local and loopback ones refused unless configured). Implements {@link
 * dev.scimserver.events.Receiver}; holds no rule of the events' own.
 *
 * <p>May import {@code events}; never {@code store}, {@code http}, {@code app}, Javalin or Jdbi.
 */
package dev.scimserver.delivery;
