package dev.scimserver.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs access tokens in the JWT profile of RFC 9068: header {@code typ: at+jwt} and the active
 * key's {@code kid}; claims {@code iss}, {@code sub} and {@code client_id} (the client, its own
 * resource owner in the client-credentials grant), {@code aud} (the SCIM base URL), {@code iat},
 * {@code exp}, {@code jti}, {@code scope}, and {@link #WORKSPACE_CLAIM}, the workspace the token opens.
 * The issuer and the audience are those of the URL the token is asked for at (see {@link PublicUrls}).
 */
public final class AccessTokenIssuer {
    /** The RFC 9068 §2.1 header type. */
    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    static final String CLIENT_ID_CLAIM = "client_id";
    static final String SCOPE_CLAIM = "scope";
    /** The workspace's id; a private claim of this server, which is also the only resource server. */
    static final String WORKSPACE_CLAIM = "workspace_id";

    private final SigningKeys keys;
    private final Clock clock;

    public AccessTokenIssuer(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * A token for {@code client}, living the configured lifetime but opening nothing after
     * {@code notAfter} (the expiry of the secret it was asked for with; {@code null} for none): a secret
     * given an end must not go on granting access through the tokens it obtained. The verifier takes a
     * token up to its clock skew past its {@code exp}, so {@code exp} lies that much before the end; a
     * secret with less time left than the skew gets no token ({@code invalid_client}, as an expired one).
     */
    IssuedAccessToken issue(OAuthClient client, String scope, AuthorizationServerUrls urls, Instant notAfter) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(keys.tokenLifetime());
        if (notAfter != null) {
            Instant lastExp = notAfter.minus(AccessTokenVerifier.MAX_CLOCK_SKEW);
            if (!lastExp.isAfter(now)) {
                throw OAuthException.invalidClient();
            }
            if (lastExp.isBefore(expiresAt)) {
                expiresAt = lastExp;
            }
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(urls.issuer())
                .subject(client.clientId())
                .audience(urls.scimAudience())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .claim(CLIENT_ID_CLAIM, client.clientId())
                .claim(SCOPE_CLAIM, scope)
                .claim(WORKSPACE_CLAIM, client.workspaceId().toString())
                .build();
        RSAKey key = keys.signingKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(AT_JWT).keyID(key.getKeyID())
                .build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token with key " + key.getKeyID(), e);
        }
        return new IssuedAccessToken(jwt.serialize(), now, expiresAt);
    }
}
