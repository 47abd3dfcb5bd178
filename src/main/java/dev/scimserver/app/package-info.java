/**
 * Configuration and wiring: {@link dev.scimserver.app.Config} reads the environment,
 * {@link dev.scimserver.app.ScimServer} builds the whole server (tests use it too), and
 * {@link dev.scimserver.app.Main} only starts it, or hands {@code admin ...} to
 * {@link dev.scimserver.app.AdminCommand}, the command line that calls a running server's
 * administration API.
 */
package dev.scimserver.app;
