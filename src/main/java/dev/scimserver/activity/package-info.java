/**
 * What happened on the server, for operators: the provisioning log (every request to the SCIM API and
 * the token endpoint, with its bodies redacted and cut, written off the request thread through a
 * bounded queue), its retention, the searches the admin API and the console make in it, and the
 * per-minute request figures of a workspace.
 *
 * <p>Storage goes through {@link dev.scimserver.activity.ProvisioningLogStore}; the SQL is in
 * {@code store}. May import {@code scim}; never {@code directory}, {@code access}, {@code store},
 * {@code http}, {@code app}, Javalin, Jdbi or JDBC.
 */
package dev.scimserver.activity;
