package dev.scimserver.access;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The failed-authentication throttle's counting, on a clock that stands still unless the test moves it. */
class RequestThrottleTest {
    private final AtomicLong clock = new AtomicLong();
    private final RequestThrottle throttle = new RequestThrottle(0, clock::get);

    private static InetAddress address(String literal) {
        return IpLiteral.parse(literal).orElseThrow();
    }

    private RequestThrottle.AuthAttempt fail(String literal) {
        return attempt(literal, "Bearer the-idp's-token");
    }

    private RequestThrottle.AuthAttempt attempt(String literal, String authorization) {
        return throttle.takeAuthAttempt(address(literal), authorization);
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64() {
        for (int i = 1; i <= RequestThrottle.AUTH_FAILURE_BURST; i++) {
            assertThat(fail("2001:db8:1:2::" + Integer.toHexString(i)).taken()).isTrue();
        }
        RequestThrottle.AuthAttempt rotated = fail("2001:db8:1:2:ffff:ffff:ffff:ffff");
        assertThat(rotated.taken()).isFalse();
        assertThat(rotated.secondsToWait()).isEqualTo(RequestThrottle.SECONDS_PER_AUTH_FAILURE);
        assertThat(fail("2001:db8:1:3::1").taken()).as("the next /64 is someone else").isTrue();
    }

    @Test
    void clientKeysAreIpv4AddressesAndIpv6Slash64s() {
        assertThat(RequestThrottle.clientKey(address("192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(RequestThrottle.clientKey(address("::ffff:192.0.2.1"))).isEqualTo("192.0.2.1");
        assertThat(RequestThrottle.clientKey(address("2001:db8:1:2:3:4:5:6")))
                .isEqualTo(RequestThrottle.clientKey(address("2001:db8:1:2::"))).isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(RequestThrottle.clientKey(address("192.0.2.2"))).isNotEqualTo("192.0.2.1");
    }

    @Test
    void concurrentAttemptsTakeExactlyTheBurst() throws Exception {
        int taken = TokenBucketsTest.grantedOf(200, () -> fail("192.0.2.1").taken());
        assertThat(taken).isEqualTo(RequestThrottle.AUTH_FAILURE_BURST);
    }

    @Test
    void successesGiveTheirAttemptBackEvenWhenConcurrent() throws Exception {
        // These credentials succeeded here before: an attempt that finds the address's attempts all
        // out (more than 20 of the 32 threads holding one at once) still has them checked. Without it
        // the count of passes depended on how the threads were scheduled (188 of 200 once).
        throttle.authenticated(fail("192.0.2.1"));
        int passed = TokenBucketsTest.grantedOf(200, () -> {
            RequestThrottle.AuthAttempt attempt = fail("192.0.2.1");
            if (attempt.mayCheckCredentials()) {
                throttle.authenticated(attempt);
                return true;
            }
            return false;
        });
        assertThat(passed).isEqualTo(200);
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            assertThat(fail("192.0.2.1").taken()).isTrue();
        }
        assertThat(fail("192.0.2.1").taken()).isFalse();
    }

    @Test
    void onlyAnAddressWhereCredentialsSucceededHasThemCheckedWhileThrottled() {
        throttle.authenticated(fail("192.0.2.1"));
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            fail("192.0.2.1");
            fail("192.0.2.2");
        }
        RequestThrottle.AuthAttempt sharedWithAnIdp = fail("192.0.2.1");
        assertThat(sharedWithAnIdp.taken()).isFalse();
        assertThat(sharedWithAnIdp.mayCheckCredentials()).isTrue();
        assertThat(throttle.exhausted(sharedWithAnIdp)).isTrue();

        RequestThrottle.AuthAttempt guesserAlone = fail("192.0.2.2");
        assertThat(guesserAlone.mayCheckCredentials()).isFalse();
        assertThat(guesserAlone.secondsToWait()).isPositive();
    }

    /**
     * Another credential at an address where one succeeded is a guess like any other: were it checked
     * while the address is throttled, a 429 or a 200 would tell the guesser which guess was right.
     */
    @Test
    void onlyTheCredentialThatSucceededIsCheckedWhileItsAddressIsThrottled() {
        throttle.authenticated(attempt("192.0.2.1", "Bearer the-idp's-token"));
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            attempt("192.0.2.1", "Basic guess-" + i);
        }
        assertThat(attempt("192.0.2.1", "Basic another-guess").mayCheckCredentials()).isFalse();
        assertThat(attempt("192.0.2.1", "Bearer the-idp's-token").mayCheckCredentials()).isTrue();
    }

    /**
     * What succeeded is remembered by the credential, not by the header's spelling: a client holding
     * any valid credential cannot push an IdP's success out of the memory by succeeding ten thousand
     * times with its own spelt ten thousand ways, nor with as many access tokens, which are checked
     * wherever they come from and so are not remembered.
     */
    @Test
    void anIdpsSuccessIsNotPushedOutByOneCredentialSpeltManyWaysOrByAccessTokens() {
        throttle.authenticated(attempt("192.0.2.1", "Bearer the-idp's-token"));
        for (int i = 0; i <= 10_000; i++) {
            throttle.authenticated(attempt("192.0.2.9", (i % 2 == 0 ? "Bearer" : "bEARER") + " ".repeat(1 + i / 2)
                    + "another-workspace's-token" + " ".repeat(i % 7)));
            assertThat(throttle.authenticate(address("192.0.2.9"), "Bearer eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiI" + i
                    + "In0.c2ln", presented -> Optional.of("an access token"), presented -> true, who -> false).who())
                    .isPresent();
        }
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            attempt("192.0.2.1", "Basic guess-" + i);
        }
        assertThat(attempt("192.0.2.1", "Bearer the-idp's-token").mayCheckCredentials()).isTrue();
        assertThat(attempt("192.0.2.1", "bearer   the-idp's-token ").mayCheckCredentials()).as("spelt otherwise")
                .isTrue();
    }

    /** Whether a success is remembered is asked of who passed, not read from the value's shape. */
    @Test
    void aStaticTokenShapedLikeAJwtIsRememberedWhereItSucceeded() {
        String token = "Bearer aaa.bbb.ccc";
        assertThat(throttle.authenticate(address("192.0.2.1"), token, presented -> Optional.of("the IdP"),
                presented -> false, who -> true).who()).isPresent();
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST; i++) {
            attempt("192.0.2.1", "Basic guess-" + i);
        }
        assertThat(attempt("192.0.2.1", token).mayCheckCredentials()).isTrue();
    }

    @Test
    void anAttemptThatCouldNotBeJudgedComesBack() {
        for (int i = 0; i < RequestThrottle.AUTH_FAILURE_BURST * 2; i++) {
            throttle.undecided(fail("192.0.2.1"));
        }
        assertThat(fail("192.0.2.1").taken()).isTrue();
    }

    @Test
    void oneAttemptComesBackEveryThreeSeconds() {
        for (int i = 0; i <= RequestThrottle.AUTH_FAILURE_BURST; i++) {
            fail("192.0.2.1");
        }
        clock.addAndGet(RequestThrottle.SECONDS_PER_AUTH_FAILURE * 1_000_000_000L);
        assertThat(fail("192.0.2.1").taken()).isTrue();
        assertThat(fail("192.0.2.1").taken()).isFalse();
    }

    /** More credentials taking turns than a small table of budgets would hold: each keeps its own count. */
    @Test
    void everyCredentialInUseIsHeldToTheRateLimit() {
        RequestThrottle limited = new RequestThrottle(1, clock::get);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limited.takeRequest("credential-" + i)).isZero();
        }
        for (int i = 0; i < 1_000; i++) {
            assertThat(limited.takeRequest("credential-" + i)).as("credential-" + i).isEqualTo(1);
        }
    }
}
