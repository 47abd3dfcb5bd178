/**
 * The administration API under {@code /api/admin/v1}: JSON over HTTP for workspaces, their API tokens
 * and OAuth clients, a summary of each, and the provisioning log, described by an OpenAPI 3.1 document
 * served beside it. Off unless {@code SCIM_ADMIN_TOKEN} is set; every request presents that token.
 * Errors are RFC 9457 problem details. The rules live in {@code access}, {@code directory} and
 * {@code activity}; this package only reads requests, calls them and writes answers.
 *
 * <p>May import {@code access}, {@code directory}, {@code activity} and {@code scim}, and {@code http.scim}'s
 * {@link dev.scimserver.http.scim.ScimApi.Mount} to be served beside it; never {@code store},
 * {@code app} or Jdbi.
 */
package dev.scimserver.http.admin;
