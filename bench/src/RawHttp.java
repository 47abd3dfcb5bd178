import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client on one socket: what a load generator needs and nothing
 * else, so that the driver costs the two shared cores as little as wrk does. Not thread-safe: one
 * per connection.
 */
final class RawHttp implements AutoCloseable {
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final String auth;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] line = new byte[8192];

    RawHttp(String host, int port, String auth) {
        this.host = host;
        this.port = port;
        this.auth = auth;
    }

    Response send(String method, String target, String body) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            return exchange(method, target, body);
        } catch (IOException e) {
            // A closed keep-alive connection: reconnect once, as wrk does.
            close();
            connect();
            return exchange(method, target, body);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(600_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 65536);
        out = socket.getOutputStream();
    }

    private Response exchange(String method, String target, String body) throws IOException {
        writeRequest(method, target, body);
        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed");
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Framing framing = readHeaders();
        boolean closeAfter = framing.close();
        byte[] content;
        if (framing.chunked()) {
            content = readChunked();
        } else if (framing.length() >= 0) {
            content = in.readNBytes((int) framing.length());
        } else if (code == 204 || code == 304) {
            content = new byte[0];
        } else {
            content = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(code, content);
    }

    /** The head and the body in one write, so that a small request leaves in one segment (TCP_NODELAY is on). */
    private void writeRequest(String method, String target, String body) throws IOException {
        byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(host).append(':')
                .append(port).append("\r\nAuthorization: ").append(auth).append("\r\nAccept: application/scim+json\r\n");
        if (payload != null) {
            head.append("Content-Type: application/scim+json\r\nContent-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (payload == null) {
            out.write(h);
        } else {
            byte[] all = new byte[h.length + payload.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(payload, 0, all, h.length, payload.length);
            out.write(all);
        }
        out.flush();
    }

    /** How the response's body is framed, and whether the server closes the connection after it. */
    private record Framing(long length, boolean chunked, boolean close) {
    }

    private Framing readHeaders() throws IOException {
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        String header;
        while ((header = readLine()) != null && !header.isEmpty()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        return new Framing(length, chunked, closeAfter);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return buffer.toByteArray();
            }
            buffer.write(in.readNBytes(n));
            readLine();
        }
    }

    private String readLine() throws IOException {
        int n = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                return new String(line, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n < line.length) {
                line[n++] = (byte) b;
            }
        }
        return n == 0 ? null : new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** A query parameter's value, percent-encoded (a space as %20, as in a path). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
            socket = null;
        }
    }
}
