package dev.scimserver.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.util.Map;

/**
 * Signs RFC 8417 security event tokens with the keys that sign the access tokens, published at the
 * JWKS URL of the server's OAuth metadata: header {@code typ: secevent+jwt} (RFC 8417 §2.3) and the
 * key's {@code kid}, so a receiver verifies them with the same key set.
 */
public final class SecurityEventTokens {
    static final JOSEObjectType SECEVENT_JWT = new JOSEObjectType("secevent+jwt");

    private final SigningKeys keys;

    public SecurityEventTokens(SigningKeys keys) {
        this.keys = keys;
    }

    /** The compact JWS of {@code claims} (JSON values: strings, numbers, lists, maps). */
    public String sign(Map<String, Object> claims) {
        RSAKey key = keys.signingKey();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(SECEVENT_JWT)
                    .keyID(key.getKeyID()).build(), JWTClaimsSet.parse(claims));
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException("cannot sign a security event token with key " + key.getKeyID(), e);
        }
    }
}
