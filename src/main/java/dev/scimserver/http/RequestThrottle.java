package dev.scimserver.http;

/**
 * The two throttles in front of the SCIM endpoints.
 *
 * <p><b>Failed authentication, per client address</b> (always on): an address may fail
 * {@value #AUTH_FAILURE_BURST} times in a row, then one more attempt every
 * {@value #SECONDS_PER_AUTH_FAILURE} seconds (20 a minute). While its budget is spent, every
 * request from it answers 429 <em>without</em> its credentials being checked: checking them would
 * tell a guesser which guess was right and defeat the throttle. Successful requests spend nothing,
 * so a configured client never notices. The burst is generous enough for an administrator fixing a
 * typo in an IdP's settings and still caps guessing at 28,800 tries a day, hopeless against a token
 * of twenty random characters. The address is the TCP peer, never {@code X-Forwarded-For}, which a
 * guesser could vary at will; behind a reverse proxy every client shares the proxy's budget.
 *
 * <p><b>Requests per credential</b> ({@code SCIM_RATE_LIMIT}, off by default): each credential
 * (the Basic pair, the token) may make that many requests a second, with a burst of one second's
 * worth; beyond it 429 with {@code Retry-After} in whole seconds, as Okta and Entra expect.
 */
public final class RequestThrottle {
    static final int AUTH_FAILURE_BURST = 20;
    static final int SECONDS_PER_AUTH_FAILURE = 3;
    /** Distinct addresses remembered at once; see {@link TokenBuckets} for what happens past it. */
    private static final int MAX_ADDRESSES = 100_000;

    private final TokenBuckets authFailures;
    private final TokenBuckets requests;

    private RequestThrottle(TokenBuckets requests) {
        this.authFailures = new TokenBuckets(AUTH_FAILURE_BURST, 1.0 / SECONDS_PER_AUTH_FAILURE, MAX_ADDRESSES,
                System::nanoTime);
        this.requests = requests;
    }

    /** {@code requestsPerSecond} 0 switches the per-credential limit off. */
    public static RequestThrottle of(int requestsPerSecond) {
        if (requestsPerSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond < 0: " + requestsPerSecond);
        }
        return new RequestThrottle(requestsPerSecond == 0 ? null
                : new TokenBuckets(requestsPerSecond, requestsPerSecond, 16, System::nanoTime));
    }

    /** 0 when {@code address} may try to authenticate; otherwise the seconds to wait. */
    long secondsUntilAuthAllowed(String address) {
        return authFailures.secondsUntilToken(address);
    }

    void recordAuthFailure(String address) {
        authFailures.take(address);
    }

    /** Spends one request of {@code credential}: 0 when allowed, otherwise the seconds to wait. */
    long takeRequest(String credential) {
        return requests == null ? 0 : requests.take(credential);
    }
}
