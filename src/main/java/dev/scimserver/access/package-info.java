/**
 * Who may act on which workspace: the workspaces themselves (created, renamed and deleted by
 * administrators, each change journaled with its {@link dev.scimserver.access.ChangeOrigin}), their
 * slugs, their named API tokens, OAuth 2.0 clients and their secrets, the client-credentials grant
 * (RFC 6749 §4.4) issuing RFC 9068 JWT access tokens, the signing keys that sign them, and the
 * in-memory answer to "which workspace does this bearer credential act on" that every SCIM request asks; the environment's own credentials of
 * the Default Workspace, the failed-authentication throttle and the per-credential request rate,
 * and which client address a request is counted by (trusted proxies); and {@code SCIM_ADMIN_TOKEN},
 * which opens the administration API.
 *
 * <p>Secrets are generated here, shown once, and kept only as a SHA-256 digest; no type of this
 * package prints one. Storage goes through interfaces this package owns ({@link
 * dev.scimserver.access.TokenStore}, {@link dev.scimserver.access.OAuthClientStore}, {@link
 * dev.scimserver.access.SigningKeyStore}, {@link dev.scimserver.access.LastUseStore}, {@link
 * dev.scimserver.access.WorkspaceStore}); the SQL is in {@code store}.
 *
 * <p>May import {@code scim}; never {@code directory}, {@code store}, {@code http}, {@code app},
 * Javalin, Jdbi or JDBC.
 */
package dev.scimserver.access;
