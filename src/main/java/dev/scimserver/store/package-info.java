/**
 * PostgreSQL: the pool, the migrations, the embedded server of the default set-up, and the
 * directory's storage, including the translation of filters into parameterised SQL, and the
 * storage of {@code access}'s workspaces, credentials and signing keys and of {@code activity}'s
 * provisioning log. All SQL of the server is in this package.
 *
 * <p>May import {@code directory}, {@code access}, {@code activity} and {@code scim}; never {@code http},
 * {@code app} or Javalin.
 */
package dev.scimserver.store;
