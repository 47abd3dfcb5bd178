package dev.scimserver.access;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server processes on one database, as behind a balancer: each has its own {@link SigningKeys} over
 * the same stored keys. Whatever key one of them signs with, the JWK Set the other publishes holds it,
 * so a receiver of security event tokens (or any resource server) that fetches the keys through the
 * balancer can check every token, also in the minute after a rotation.
 */
class SharedSigningKeysTest {
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.atNow();
    private final InMemorySigningKeys store = new InMemorySigningKeys();
    private final SigningKeys rotating = new SigningKeys(store, LIFETIME, clock);
    private final SigningKeys other = new SigningKeys(store, LIFETIME, clock);

    @Test
    void theKeyOneProcessSignsWithIsPublishedByTheOtherAfterARotation() throws Exception {
        rotating.ensureActiveKey();
        other.ensureActiveKey();
        clock.advance(Duration.ofMinutes(5));
        // The other process reads the keys (a JWK Set fetched, a token checked) shortly before the rotation.
        assertThat(kids(other)).hasSize(1);
        clock.advance(Duration.ofSeconds(10));
        String newKid = rotating.rotate();

        for (int second = 0; second <= 2 * SigningKeys.REFRESH_INTERVAL.toSeconds(); second++) {
            String signsWith = rotating.signingKey().getKeyID();
            assertThat(kids(other)).as("%d s after the rotation, the other process publishes the key in use", second)
                    .contains(signsWith);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(rotating.signingKey().getKeyID()).isEqualTo(newKid);
    }

    /**
     * A process restarted with a shorter SCIM_OAUTH_TOKEN_TTL: it deleted, and stopped publishing, the
     * retired key of the other's unexpired tokens a minute after the rotation.
     */
    @Test
    void aProcessWithShorterLivedTokensKeepsTheRetiredKeyOfTheOthersTokensPublished() throws Exception {
        SigningKeys shortLived = new SigningKeys(store, Duration.ofMinutes(1), clock);
        rotating.ensureActiveKey();
        String oldKid = rotating.signingKey().getKeyID();
        rotating.rotate();
        clock.advance(LIFETIME.minusMinutes(5));

        assertThat(shortLived.prune()).as("keys deleted").isZero();
        assertThat(kids(shortLived)).as("the key of a token signed an hour ago, still alive").contains(oldKid);
        clock.advance(Duration.ofDays(2));
        assertThat(shortLived.prune()).isEqualTo(1);
        assertThat(kids(shortLived)).doesNotContain(oldKid);
    }

    private static List<String> kids(SigningKeys keys) throws Exception {
        return JWKSet.parse(keys.jwksJson()).getKeys().stream().map(JWK::getKeyID).toList();
    }
}
