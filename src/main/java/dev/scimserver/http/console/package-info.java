/**
 * The operator's console under {@code /admin}: server-rendered HTML pages (jte templates, compiled at
 * build time into this package), htmx and the console's own script and styles served by the process.
 * Off unless {@code SCIM_ADMIN_TOKEN} is set. Signing in with that token opens a server-side session
 * (an HttpOnly, SameSite=Strict cookie); every form carries the session's CSRF token.
 *
 * <p>It calls the services the administration API calls ({@code access}, the role policy of
 * {@code directory}, the provisioning log of {@code activity}) and the directory's reads, so it can do
 * nothing the API cannot; no rule lives here. May import {@code access}, {@code activity},
 * {@code directory} and {@code scim}, and {@code http.scim}'s {@link dev.scimserver.http.scim.ScimApi.Mount} to be
 * served beside it; never {@code store}, {@code app} or Jdbi.
 */
package dev.scimserver.http.console;
