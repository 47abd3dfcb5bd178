/**
 * The SCIM web adapter under {@code /api/scim/v2}: routes, content types, the SCIM_ENABLED switch,
 * authentication (through {@code access}), request limits, rendering, and the one place that maps
 * every exception to a SCIM error body; what every request did goes to {@code activity}'s provisioning
 * log and the metrics once it is answered, and {@code GET /metrics} serves them. No business rule lives here.
 *
 * <p>May import {@code directory}, {@code access}, {@code activity} and {@code scim}; never {@code store},
 * {@code app} or Jdbi.
 */
package dev.scimserver.http.scim;
