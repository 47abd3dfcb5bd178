package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An application's endpoint, inside the test JVM: it records what arrives and answers as it is told
 * (acknowledge, fail, take longer than the timeout, 410). It verifies what it gets the way an
 * application would, with nothing of the server's code: the Standard Webhooks HMAC with the JDK's Mac,
 * a security event token with nimbus-jose-jwt against the JWKS the server publishes.
 */
final class EventReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived; header names in lower case. */
    record Received(Map<String, String> headers, byte[] body, Instant at) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile Function<Received, Integer> answer = request -> 204;

    EventReceiver() {
        this(0);
    }

    /** On {@code port}: a receiver back where one was before ({@code 0}: any free port). */
    EventReceiver(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** {@code http://127.0.0.1:PORT/events}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** How the next requests are answered: a status, after whatever the function waits. */
    void answer(Function<Received, Integer> how) {
        this.answer = how;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        Received request = new Received(headers, exchange.getRequestBody().readAllBytes(), Instant.now());
        synchronized (received) {
            received.add(request);
            received.notifyAll();
        }
        int status = answer.apply(request);
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until {@code done} holds for what arrived, or fails after {@code max}. */
    List<Received> await(Predicate<List<Received>> done, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (received) {
            while (!done.test(List.copyOf(received))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the receiver did not get what was expected within " + max
                            + "; it got " + received.size() + " requests");
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * The Standard Webhooks check: HMAC-SHA256 keyed with the base64 after {@code whsec_}, over
     * {@code id.timestamp.body}, equal (in constant time) to one of the {@code v1,} signatures; the
     * timestamp within five minutes of now.
     */
    static boolean verifiesWebhook(String secret, Received request) {
        try {
            String id = request.header("webhook-id");
            String timestamp = request.header("webhook-timestamp");
            if (Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(request.body());
            for (String signature : request.header("webhook-signature").split(" ")) {
                if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The token's claims once its signature checks with the server's JWKS and its type is secevent+jwt. */
    static JWTClaimsSet verifiedSet(String token, String serverOrigin) {
        try {
            JWKSet keys = JWKSet.load(new URL(serverOrigin + "/oauth2/jwks"));
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("secevent+jwt")));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    new ImmutableJWKSet<>(keys)));
            // RFC 8417 §2.2: a SET has no "exp"; nimbus's default claims check asks for none.
            return processor.process(token, null);
        } catch (Exception e) {
            throw new AssertionError("the security event token does not verify: " + e, e);
        }
    }
}
