package dev.scimserver.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Checks an access token as RFC 9068 §4 asks of a resource server: {@code typ} {@code at+jwt}, an
 * RS256 signature by a published key named by {@code kid} (no other algorithm, never {@code none}),
 * {@code iss} this server and {@code aud} the SCIM base URL, both as the request reached us (see
 * {@link PublicUrls}), {@code exp} and {@code nbf} with {@link #MAX_CLOCK_SKEW}, and every claim the
 * issuer writes. Any failure is the same empty answer, so a caller cannot tell an expired token from
 * a forged one.
 */
public final class AccessTokenVerifier {
    /** How far the clocks of the processes that issue and check tokens may disagree. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Far above any token we issue; longer input is refused before it is parsed. */
    private static final int MAX_TOKEN_LENGTH = 4_096;
    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenVerifier.class);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final SigningKeys keys;
    private final CheckedTokens checked;

    /** The URLs the request under check reached, handed through Nimbus to the claims check. */
    private record ReachedAt(AuthorizationServerUrls urls) implements SecurityContext {
    }

    public AccessTokenVerifier(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.checked = new CheckedTokens(clock);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(AccessTokenIssuer.AT_JWT,
                new JOSEObjectType("application/at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys.verificationKeys()));
        // Times and the presence of every claim; iss and aud depend on the request, so they follow.
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
                new JWTClaimsSet.Builder().build(),
                Set.of("iss", "aud", "sub", "exp", "iat", "jti", AccessTokenIssuer.CLIENT_ID_CLAIM,
                        AccessTokenIssuer.WORKSPACE_CLAIM),
                Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) MAX_CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier((claimsSet, context) -> {
            claims.verify(claimsSet, context);
            AuthorizationServerUrls urls = ((ReachedAt) context).urls();
            if (!urls.issuer().equals(claimsSet.getIssuer())) {
                throw new BadJWTException("JWT iss claim is not this server at the URL reached");
            }
            if (!claimsSet.getAudience().contains(urls.scimAudience())) {
                throw new BadJWTException("JWT aud claim is not the SCIM base URL reached");
            }
        });
    }

    /**
     * What the token says when it is valid now at {@code reached} (the URLs the request came to);
     * empty for every kind of invalid token. A token found valid before is answered from
     * {@link CheckedTokens} while its key is still published.
     */
    public Optional<AccessTokenClaims> verify(String token, AuthorizationServerUrls reached) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Optional<CheckedTokens.Checked> known = checked.find(token);
        if (known.isPresent()) {
            CheckedTokens.Checked before = known.get();
            return before.opens(reached) && keys.publishes(before.kid()) ? Optional.of(before.claims())
                    : Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = processor.process(jwt, new ReachedAt(reached));
            String clientId = claims.getStringClaim(AccessTokenIssuer.CLIENT_ID_CLAIM);
            if (!clientId.equals(claims.getSubject())) {
                return Optional.empty();
            }
            UUID workspace = UUID.fromString(claims.getStringClaim(AccessTokenIssuer.WORKSPACE_CLAIM));
            AccessTokenClaims valid = new AccessTokenClaims(clientId, workspace,
                    claims.getExpirationTime().toInstant());
            checked.remember(token, new CheckedTokens.Checked(valid, jwt.getHeader().getKeyID(), claims.getIssuer(),
                    claims.getAudience()));
            return Optional.of(valid);
        } catch (BadJOSEException e) {
            // Nimbus's fixed reason ("Expired JWT", "Invalid signature"), never the token.
            LOG.debug("access token refused: {}", e.getMessage());
            return Optional.empty();
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            LOG.debug("access token refused: {}", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
