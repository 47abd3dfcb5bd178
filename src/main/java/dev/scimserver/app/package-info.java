/**
 * Configuration and wiring: {@link dev.scimserver.app.Config} reads the environment,
 * {@link dev.scimserver.app.ScimServer} builds the whole server (tests use it too), and
 * {@link dev.scimserver.app.Main} only starts it.
 */
package dev.scimserver.app;
