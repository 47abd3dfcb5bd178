package dev.scimserver.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between the server and PostgreSQL that a test can cut and restore: a database
 * that vanishes and comes back on the same address, which stopping a real PostgreSQL cannot give
 * (LocalPostgres picks a new port on each start).
 */
final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final String targetJdbcUrl;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private TcpProxy(String targetHost, int targetPort, String targetJdbcUrl) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.targetJdbcUrl = targetJdbcUrl;
        this.port = listen(0);
    }

    /** A proxy in front of the PostgreSQL that {@code jdbcUrl} names. */
    static TcpProxy inFrontOf(String jdbcUrl) {
        URI database = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new TcpProxy(database.getHost(), database.getPort(), jdbcUrl);
    }

    int port() {
        return port;
    }

    /** The JDBC URL it was made in front of, through this proxy. */
    String jdbcUrl() {
        URI database = URI.create(targetJdbcUrl.substring("jdbc:".length()));
        return "jdbc:postgresql://" + database.getHost() + ":" + port + database.getPath() + "?"
                + database.getRawQuery();
    }

    /** A server of its own on the shared database, through this proxy, with the environment's token. */
    ScimServer startServer() {
        return ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "PORT", "0", "DATABASE_POOL_SIZE", "4", "DATABASE_URL", jdbcUrl())));
    }

    /** Drops every open connection and refuses new ones, as a database that went away. */
    synchronized void cut() {
        closeQuietly(listener);
        listener = null;
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    /** Accepts and forwards again, on the same port. */
    synchronized void restore() {
        if (listener == null) {
            listen(port);
        }
    }

    private int listen(int onPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            listener = server;
            Thread accept = new Thread(() -> accept(server), "proxy-accept");
            accept.setDaemon(true);
            accept.start();
            return server.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + onPort, e);
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                if (!forwarding(server, client, upstream)) {
                    closeQuietly(client);
                    closeQuietly(upstream);
                    continue;
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by cut(), or the target refused: the client sees its connection end
            }
        }
    }

    /**
     * Registers an accepted pair for {@link #cut()} unless a cut came while it was being connected: a
     * connection accepted just before a cut and registered after it would outlive the cut (a pool
     * filling itself as a test cut the database kept one live connection, and nothing failed).
     */
    private synchronized boolean forwarding(ServerSocket server, Socket client, Socket upstream) {
        if (listener != server) {
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
