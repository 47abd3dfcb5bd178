package dev.scimserver.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The two throttles in front of the SCIM endpoints. It counts; checking credentials is
 * {@link EnvironmentCredentials}'s job and finding the client's address {@link TrustedProxies}'.
 *
 * <p><b>Failed authentication, per client address</b> (always on): an address may fail
 * {@value #AUTH_FAILURE_BURST} times, then one more attempt every {@value #SECONDS_PER_AUTH_FAILURE}
 * seconds (20 a minute, 28,800 a day). Each request with credentials takes an attempt <em>before</em>
 * they are checked, in one atomic step, so concurrent guesses cannot outrun the count; a success
 * gives its attempt back, so a configured client never spends anything. An IPv6 client is counted
 * by its /64, the block one subscriber or one host is given, so rotating through its addresses buys
 * no fresh guesses.
 *
 * <p>An address with no attempt left is answered 429 without its credentials being checked: checking
 * them would tell a guesser which guess was right. The exception is a credential that has already
 * succeeded from that address: that very credential (the same {@code Authorization} value) is still
 * checked and passes, so that a guesser sharing an IdP's address (one NAT, one proxy, one cloud
 * egress) cannot lock the IdP out; every other value is answered 429 unchecked. A guesser learns
 * nothing from this: only a value that has already succeeded there is checked, and it already
 * knows whether that one is right. Values are remembered by an HMAC under a key this process draws
 * at start, never as themselves.
 *
 * <p>An access token this server signed is no guess either: whoever presents one that verifies
 * holds it already, and one that does not verify is answered 429 unchecked like any other value. So
 * an OAuth client whose tokens are renewed every hour keeps its place at a throttled address, where
 * each new token, a value never seen there, would otherwise be refused until the guesser stops.
 *
 * <p><b>Requests per credential</b> ({@code SCIM_RATE_LIMIT}, off by default): each credential
 * (the Basic pair, the token, an OAuth client with all its access tokens) may make that many requests
 * a second, with a burst of one second's worth; beyond it 429 with {@code Retry-After} in whole
 * seconds, as Okta and Entra expect.
 */
public final class RequestThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(RequestThrottle.class);
    public static final int AUTH_FAILURE_BURST = 20;
    static final int SECONDS_PER_AUTH_FAILURE = 3;
    /** Client addresses counted at once; see {@link TokenBuckets} for which one a new address displaces. */
    private static final int MAX_ADDRESSES = 100_000;
    /**
     * (address, credential) pairs remembered as having authenticated. Only the right credentials add
     * one, so no guesser can flood it; the bound is for clients that authenticate from very many
     * addresses.
     */
    private static final int MAX_AUTHENTICATED_ADDRESSES = 10_000;
    /**
     * Credentials whose requests are counted at once. Only credentials that authenticated are counted,
     * so no guesser can flood it. A bucket idle for a second has filled again, so forgetting the one
     * idle longest takes nothing from anyone; a smaller table would forget buckets in use and let
     * credentials taking turns past the limit.
     */
    private static final int MAX_COUNTED_CREDENTIALS = 100_000;
    private static final int IPV6_SUBSCRIBER_PREFIX_BYTES = 8;

    private final TokenBuckets authFailures;
    /** Keyed once with 32 random bytes; each use works on a clone, cheaper than looking the algorithm up again. */
    private final Mac fingerprints;
    /** In access order, eldest first. Guarded by itself. */
    private final LinkedHashMap<String, Boolean> authenticated = new LinkedHashMap<>(16, 0.75f, true);
    private final TokenBuckets requests;

    RequestThrottle(int requestsPerSecond, LongSupplier nanoTime) {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond < 0: " + requestsPerSecond);
        }
        this.authFailures = new TokenBuckets(AUTH_FAILURE_BURST, 1.0 / SECONDS_PER_AUTH_FAILURE, MAX_ADDRESSES,
                nanoTime);
        this.requests = requestsPerSecond == 0 ? null
                : new TokenBuckets(requestsPerSecond, requestsPerSecond, MAX_COUNTED_CREDENTIALS, nanoTime);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            this.fingerprints = Mac.getInstance("HmacSHA256");
            fingerprints.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JVM", e);
        }
    }

    /** {@code requestsPerSecond} 0 switches the per-credential limit off. */
    public static RequestThrottle of(int requestsPerSecond) {
        return new RequestThrottle(requestsPerSecond, System::nanoTime);
    }

    /** One request's try at authenticating, taken from its client's address before its credentials are checked. */
    record AuthAttempt(String clientKey, String credentialKey, long secondsToWait, boolean authenticatedBefore) {
        boolean taken() {
            return secondsToWait == 0;
        }

        boolean mayCheckCredentials() {
            return taken() || authenticatedBefore;
        }
    }

    /**
     * What both doors (the SCIM API and the administration API) do with a request that presents
     * {@code authorization}: take its attempt from {@code client}'s budget, have {@code check} judge
     * the credentials unless the address may not have them checked, and count the outcome. A
     * {@code check} that throws (the credentials could not be looked up) costs no attempt.
     */
    public <T> Verdict<T> authenticate(InetAddress client, String authorization,
                                       Function<String, Optional<T>> check) {
        return authenticate(client, authorization, check, presented -> false, who -> true);
    }

    /**
     * As {@link #authenticate(InetAddress, String, Function)}, where {@code unguessable} tells a value
     * that checking reveals nothing about (an access token that verifies under this server's keys): such
     * a value is checked even where the address has no attempt left. {@code remembered} tells whether a
     * success is remembered at the address: not an access token's, which is checked wherever it comes
     * from, and of which a client can fetch new ones without end, each pushing an IdP's success out.
     * It is asked of who passed, not of the value's shape: a static token may look like a JWT.
     */
    public <T> Verdict<T> authenticate(InetAddress client, String authorization,
                                       Function<String, Optional<T>> check, Predicate<String> unguessable,
                                       Predicate<T> remembered) {
        AuthAttempt attempt = takeAuthAttempt(client, authorization);
        if (!attempt.mayCheckCredentials() && !unguessable.test(authorization)) {
            return Verdict.throttled(attempt.secondsToWait());
        }
        Optional<T> who;
        try {
            who = check.apply(authorization);
        } catch (RuntimeException e) {
            undecided(attempt);
            throw e;
        }
        if (who.isEmpty()) {
            if (!attempt.taken()) {
                return Verdict.throttled(attempt.secondsToWait());
            }
            if (exhausted(attempt)) {
                LOG.warn("failed authentications from {} exceed {}; throttled", attempt.clientKey(),
                        AUTH_FAILURE_BURST);
            }
            return Verdict.refused();
        }
        if (remembered.test(who.get())) {
            authenticated(attempt);
        } else {
            undecided(attempt);
        }
        return Verdict.passed(who.get());
    }

    /** How {@link #authenticate} ended: who passed, or refused, or throttled for some seconds. */
    public record Verdict<T>(Optional<T> who, long retryAfterSeconds) {
        static <T> Verdict<T> passed(T who) {
            return new Verdict<>(Optional.of(who), 0);
        }

        static <T> Verdict<T> refused() {
            return new Verdict<>(Optional.empty(), 0);
        }

        static <T> Verdict<T> throttled(long seconds) {
            return new Verdict<>(Optional.empty(), Math.max(1, seconds));
        }

        public boolean throttled() {
            return retryAfterSeconds > 0;
        }
    }

    /**
     * The attempt of a request from {@code client} presenting {@code authorization} (the header's value).
     * The credential is remembered as it reads, whatever its spelling (the scheme's case, the spaces
     * after it): a client holding one valid credential would otherwise succeed with as many different
     * values as it likes, and push an IdP's success at a shared address out of the memory.
     */
    AuthAttempt takeAuthAttempt(InetAddress client, String authorization) {
        String key = clientKey(client);
        String credentialKey = key + " " + fingerprint(canonical(authorization));
        long wait = authFailures.take(key);
        boolean before;
        synchronized (authenticated) {
            before = authenticated.get(credentialKey) != null;
        }
        return new AuthAttempt(key, credentialKey, wait, before);
    }

    /** The header's credential as it reads: the scheme in lower case, one space, the rest trimmed. */
    private static String canonical(String authorization) {
        String value = String.valueOf(authorization).trim();
        int space = value.indexOf(' ');
        return space < 0 ? value : value.substring(0, space).toLowerCase(Locale.ROOT) + " "
                + value.substring(space + 1).trim();
    }

    /** The attempt could not be judged (the credentials could not be looked up): it comes back, counting nothing. */
    void undecided(AuthAttempt attempt) {
        if (attempt.taken()) {
            authFailures.giveBack(attempt.clientKey());
        }
    }

    /** The attempt's credentials were right: its attempt comes back, and they are remembered at its address. */
    void authenticated(AuthAttempt attempt) {
        undecided(attempt);
        synchronized (authenticated) {
            authenticated.put(attempt.credentialKey(), Boolean.TRUE);
            if (authenticated.size() > MAX_AUTHENTICATED_ADDRESSES) {
                Iterator<String> eldest = authenticated.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
    }

    /** Whether the attempt's address has none left now. */
    boolean exhausted(AuthAttempt attempt) {
        return authFailures.secondsUntilToken(attempt.clientKey()) > 0;
    }

    /** Spends one request of {@code credential}: 0 when allowed, otherwise the seconds to wait. */
    public long takeRequest(String credential) {
        return requests == null ? 0 : requests.take(credential);
    }

    private String fingerprint(String authorization) {
        try {
            Mac hmac = (Mac) fingerprints.clone();
            return Base64.getEncoder().encodeToString(hmac.doFinal(
                    String.valueOf(authorization).getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JVM's HmacSHA256 cannot be cloned", e);
        }
    }

    /** What failures are counted by: an IPv4 address, or the /64 network of an IPv6 address. */
    static String clientKey(InetAddress client) {
        if (client instanceof Inet4Address) {
            return client.getHostAddress();
        }
        byte[] network = Arrays.copyOf(client.getAddress(), 16);
        Arrays.fill(network, IPV6_SUBSCRIBER_PREFIX_BYTES, network.length, (byte) 0);
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException("sixteen bytes are an IPv6 address", e);
        }
    }
}
