package dev.scimserver.access;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access tokens {@link AccessTokenVerifier} has found valid, by their exact text, until they
 * expire: an identity provider presents one token on every request of a sync, and checking its
 * RS256 signature again each time costs more than the rest of the check. A different text is a
 * different key, so nothing forged can match; what a remembered token was valid for (issuer,
 * audience, signing key) is still compared on every use. Only valid tokens are kept, at most
 * {@link #MAX_REMEMBERED}; beyond that a token is checked in full each time.
 */
final class CheckedTokens {
    static final int MAX_REMEMBERED = 10_000;

    /** What a valid token says, and what it was valid for. */
    record Checked(AccessTokenClaims claims, String kid, String issuer, List<String> audience) {
        boolean opens(AuthorizationServerUrls reached) {
            return issuer.equals(reached.issuer()) && audience.contains(reached.scimAudience());
        }
    }

    private final Map<String, Checked> byToken = new ConcurrentHashMap<>();
    private final Clock clock;

    CheckedTokens(Clock clock) {
        this.clock = clock;
    }

    /** The token as checked before, while it has not expired (with the verifier's clock skew). */
    Optional<Checked> find(String token) {
        Checked checked = byToken.get(token);
        if (checked == null) {
            return Optional.empty();
        }
        if (isExpired(checked)) {
            byToken.remove(token);
            return Optional.empty();
        }
        return Optional.of(checked);
    }

    void remember(String token, Checked checked) {
        if (byToken.size() >= MAX_REMEMBERED) {
            byToken.values().removeIf(this::isExpired);
            if (byToken.size() >= MAX_REMEMBERED) {
                return;
            }
        }
        byToken.put(token, checked);
    }

    private boolean isExpired(Checked checked) {
        return !clock.instant().isBefore(checked.claims().expiresAt().plus(AccessTokenVerifier.MAX_CLOCK_SKEW));
    }
}
