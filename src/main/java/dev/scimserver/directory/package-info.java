/**
 * The domain: workspace members, roles, statuses and custom groups, with ToolJet's rules (role
 * default, reserved group names, the last admin, archive on deactivate), and roles from groups
 * ({@link dev.scimserver.directory.RolePolicy}: a workspace may take its members' roles from the custom
 * groups mapped to roles, recomputed with every change they depend on). Each operation is one
 * transaction through {@link dev.scimserver.directory.DirectoryStore}, an interface this package owns.
 *
 * <p>May import {@code scim}; never {@code store}, {@code http}, {@code app}, Javalin or Jdbi.
 */
package dev.scimserver.directory;
