package dev.scimserver.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A request written byte for byte on a socket, for what java.net.HttpClient refuses to send (a
 * malformed percent-escape, a malformed request line, oversized headers, a body cut short).
 */
final class RawHttp {
    private RawHttp() {
    }

    /**
     * The answer to {@code request}, read until a JSON answer is complete (its headers ended, a closing
     * brace came) or the server closes: a request whose body never ends gets its answer all the same.
     */
    static String exchange(int port, String request) {
        try (Socket socket = send(port, request)) {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            StringBuilder text = new StringBuilder();
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (text.indexOf("\r\n\r\n") > 0 && text.indexOf("}") > 0) {
                    break;
                }
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer to {@code request} after the client ends its side of the connection (as one that
     * stops sending mid-body does), read to the server's close.
     */
    static String exchangeThenStopSending(int port, String request) {
        try (Socket socket = send(port, request)) {
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closed the connection after its answer to {@code request} (sent without
     * {@code Connection: close}): the answer read, then end of stream within two seconds, or not.
     */
    static ClosedOrNot closesAfter(int port, String request) {
        try (Socket socket = send(port, request)) {
            socket.setSoTimeout(2_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[65536];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException keptOpen) {
                return new ClosedOrNot(answer.toString(StandardCharsets.UTF_8), false);
            }
            return new ClosedOrNot(answer.toString(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The status line the server answers first to {@code head} (a request's line and headers, without
     * its body): {@code HTTP/1.1 100 Continue} where it asks for the body, or its final answer.
     */
    static String firstStatusLine(int port, String head) {
        try (Socket socket = send(port, head)) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0 && b != '\r'; ) {
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer and whether the server closed the connection after it. */
    record ClosedOrNot(String answer, boolean closed) {
    }

    private static Socket send(int port, String request) throws IOException {
        Socket socket = new Socket("localhost", port);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    /** A GET of {@code target} with these header lines ({@code "Name: value"}), closing the connection after it. */
    static String get(int port, String target, String... headers) {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        try (Socket socket = send(port, request.append("Connection: close\r\n\r\n").toString())) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
