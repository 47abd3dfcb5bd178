/**
 * The SCIM protocol, pure and without I/O: schemas as data, attribute paths, the filter parser and
 * its tree, the PATCH engine over a resource tree, projection, errors. Where RFC 7643 and 7644 live.
 *
 * <p>May import only the JDK and Jackson: never {@code directory}, {@code store}, {@code http},
 * {@code app}, Javalin or Jdbi (an architecture test says so).
 */
package dev.scimserver.scim;
