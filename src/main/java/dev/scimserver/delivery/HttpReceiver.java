package dev.scimserver.delivery;

import dev.scimserver.events.DeliveryOutcome;
import dev.scimserver.events.Receiver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One POST per attempt. The receiver's answer is read up to {@link #MAX_BODY} and dropped: only its
 * status counts. A redirect is an answer like
 * any non-2xx (the event goes to the URL configured, never elsewhere).
 */
public final class HttpReceiver implements Receiver {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_BODY = 64 * 1024;
    /** The least of the attempt's time worth sending with: a connection and an answer take a moment. */
    private static final Duration LEAST_TO_SEND = Duration.ofSeconds(1);

    private final ReceiverAddresses addresses;
    private final String userAgent;

    public HttpReceiver(boolean allowPrivate, boolean allowInsecure, String userAgent) {
        this.addresses = new ReceiverAddresses(allowPrivate, allowInsecure);
        this.userAgent = userAgent;
    }

    /**
     * Why a subscription may not name {@code url}: an address written in it that no attempt may reach
     * (a name is judged at each attempt, by what it resolves to then). Null when it may.
     */
    public String refusalOfAddressIn(URI url) {
        return addresses.literalRefusal(url);
    }

    @Override
    public DeliveryOutcome post(URI url, String contentType, Map<String, String> headers, byte[] body) {
        long started = System.nanoTime();
        // One deadline for the attempt, the name's lookup included.
        String refused = addresses.refusal(url, TIMEOUT);
        if (refused != null) {
            return DeliveryOutcome.failed(refused, since(started));
        }
        Duration left = TIMEOUT.minus(since(started));
        if (left.compareTo(LEAST_TO_SEND) < 0) {
            // Nothing is sent that the attempt could not wait an answer for: a receiver would get the
            // event while it counts as failed, and get it again on the retry.
            return DeliveryOutcome.failed("the receiver's name took nearly all the attempt's "
                    + TIMEOUT.toSeconds() + " s to resolve", since(started));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", contentType).header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("http".equalsIgnoreCase(url.getScheme())) {
            // Over plain HTTP the client would offer HTTP/2 in an Upgrade header (h2c), which some
            // receivers' servers answer by closing the connection. Over HTTPS, TLS settles the version.
            request.version(HttpClient.Version.HTTP_1_1);
        }
        headers.forEach(request::header);
        // One deadline for the whole exchange, the answer's body included: a receiver trickling bytes
        // cannot hold a worker longer than a silent one.
        CompletableFuture<HttpResponse<Void>> exchange = SharedClient.INSTANCE.sendAsync(request.build(),
                info -> new CappedBody(MAX_BODY));
        try {
            HttpResponse<Void> response = exchange.get(left.toNanos(), TimeUnit.NANOSECONDS);
            return DeliveryOutcome.answered(response.statusCode(), since(started));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return DeliveryOutcome.failed("no answer within " + TIMEOUT.toSeconds() + " s", since(started));
        } catch (ExecutionException e) {
            // The request's own timeout (until the answer's headers) is the whole TIMEOUT, the deadline
            // above what the name's lookup left of it, so either can end a silent receiver's attempt
            // first; both are told alike.
            Throwable cause = e.getCause();
            return DeliveryOutcome.failed(cause instanceof HttpConnectTimeoutException
                    ? "no connection within " + TIMEOUT.toSeconds() + " s"
                    : cause instanceof HttpTimeoutException ? "no answer within " + TIMEOUT.toSeconds() + " s"
                    : "the connection failed: " + cause.getClass().getSimpleName(), since(started));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return DeliveryOutcome.failed("interrupted while sending", since(started));
        }
    }

    /**
     * One client for every receiver, made when the first delivery loads this class: an HttpClient sets
     * up TLS as it is made (the default context, the trust store), work that every start of a server
     * with no receivers paid before its first answer. The class's initialisation is the lock, taken
     * once; a synchronized getter took one on every delivery.
     */
    private static final class SharedClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
