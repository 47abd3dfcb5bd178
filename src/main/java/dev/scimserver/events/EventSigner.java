package dev.scimserver.events;

import java.util.Map;

/** Signs a security event token's claims with the server's published keys: the compact JWS. */
public interface EventSigner {
    String signSecurityEvent(Map<String, Object> claims);

    /** The issuer the tokens name, where the receiver finds the keys (OAuth metadata, JWKS). */
    String issuer();
}
