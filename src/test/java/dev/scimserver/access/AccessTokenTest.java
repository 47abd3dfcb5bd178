package dev.scimserver.access;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Access tokens in the RFC 9068 profile: what the issuer writes, and everything the verifier
 * refuses (expired, tampered, another audience or issuer, another typ, an unknown or unpublished
 * key, alg none, an HMAC made with the public key), with the clock driven by hand. Key rotation
 * keeps the tokens already issued valid.
 */
class AccessTokenTest {
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final AuthorizationServerUrls URLS =
            AuthorizationServerUrls.of(URI.create("https://scim.example.com"), "/api/scim/v2");

    private final MutableClock clock = MutableClock.atNow();
    private final InMemorySigningKeys keyStore = new InMemorySigningKeys();
    private final SigningKeys keys = new SigningKeys(keyStore, LIFETIME, clock);
    private final AccessTokenIssuer issuer = new AccessTokenIssuer(keys, clock);
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(keys, clock);
    private final OAuthClient client = new OAuthClient(UUID.randomUUID(), "scim_cli_test", UUID.randomUUID(), "Okta",
            clock.instant(), null);

    AccessTokenTest() {
        keys.ensureActiveKey();
        // A key in use has been there longer than its lead.
        clock.advance(Duration.ofMinutes(5));
    }

    @Test
    void theTokenFollowsRfc9068() throws Exception {
        IssuedAccessToken token = issuer.issue(client, "scim", URLS, null);
        SignedJWT jwt = SignedJWT.parse(token.jwt());
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.signingKey().getKeyID());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("https://scim.example.com");
        assertThat(claims.getAudience()).containsExactly("https://scim.example.com/api/scim/v2");
        assertThat(claims.getSubject()).isEqualTo("scim_cli_test");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("scim_cli_test");
        assertThat(claims.getStringClaim("scope")).isEqualTo("scim");
        assertThat(claims.getStringClaim("workspace_id")).isEqualTo(client.workspaceId().toString());
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime().toInstant().getEpochSecond()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(LIFETIME);
        assertThat(issuer.issue(client, "scim", URLS, null).toString()).doesNotContain(token.jwt().substring(0, 20));
    }

    @Test
    void aTokenEndsNoLaterThanTheSecretItWasAskedWith() {
        Instant secretEnds = clock.instant().plus(Duration.ofMinutes(10));
        IssuedAccessToken bounded = issuer.issue(client, "scim", URLS, secretEnds);
        // The verifier's clock skew is taken off, so that the token opens nothing once the secret ended.
        assertThat(bounded.expiresAt()).isEqualTo(secretEnds.minus(AccessTokenVerifier.MAX_CLOCK_SKEW));
        Instant longLived = clock.instant().plus(LIFETIME).plus(AccessTokenVerifier.MAX_CLOCK_SKEW).plusSeconds(60);
        IssuedAccessToken unbounded = issuer.issue(client, "scim", URLS, longLived);
        assertThat(unbounded.expiresAt()).isEqualTo(clock.instant().plus(LIFETIME));
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(verifier.verify(bounded.jwt(), URLS)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(verifier.verify(bounded.jwt(), URLS)).as("the secret has ended").isEmpty();
        assertThat(verifier.verify(unbounded.jwt(), URLS)).isPresent();
        // A secret with less time left than the skew, or none, gets no token.
        for (Instant end : new Instant[] {clock.instant().plus(AccessTokenVerifier.MAX_CLOCK_SKEW),
            clock.instant().minusSeconds(1)}) {
            assertThatThrownBy(() -> issuer.issue(client, "scim", URLS, end)).isInstanceOf(OAuthException.class)
                    .satisfies(e -> assertThat(((OAuthException) e).error()).isEqualTo(OAuthError.INVALID_CLIENT));
        }
    }

    @Test
    void aValidTokenNamesItsClientAndWorkspace() {
        IssuedAccessToken token = issuer.issue(client, "scim", URLS, null);
        assertThat(verifier.verify(token.jwt(), URLS)).hasValueSatisfying(claims -> {
            assertThat(claims.clientId()).isEqualTo("scim_cli_test");
            assertThat(claims.workspaceId()).isEqualTo(client.workspaceId());
            assertThat(claims.expiresAt().getEpochSecond()).isEqualTo(token.expiresAt().getEpochSecond());
        });
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheSkewHasPassed() {
        String jwt = issuer.issue(client, "scim", URLS, null).jwt();
        clock.advance(LIFETIME.plus(AccessTokenVerifier.MAX_CLOCK_SKEW).minusSeconds(1));
        assertThat(verifier.verify(jwt, URLS)).as("within the skew").isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(verifier.verify(jwt, URLS)).isEmpty();
    }

    @Test
    void aTamperedTokenIsRefused() {
        String jwt = issuer.issue(client, "scim", URLS, null).jwt();
        String[] parts = jwt.split("\\.");
        String otherWorkspace = base64(new String(Base64.getUrlDecoder().decode(parts[1]))
                .replace(client.workspaceId().toString(), UUID.randomUUID().toString()));
        assertThat(verifier.verify(parts[0] + "." + otherWorkspace + "." + parts[2], URLS)).isEmpty();
        char last = parts[2].charAt(10);
        String signature = parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
        assertThat(verifier.verify(parts[0] + "." + parts[1] + "." + signature, URLS)).isEmpty();
        assertThat(verifier.verify(parts[0] + "." + parts[1] + ".", URLS)).isEmpty();
    }

    @Test
    void aTokenForAnotherAudienceOrIssuerIsRefused() {
        String jwt = issuer.issue(client, "scim", URLS, null).jwt();
        AuthorizationServerUrls otherAudience =
                new AuthorizationServerUrls("https://scim.example.com", "https://scim.example.com/other");
        AuthorizationServerUrls otherIssuer = new AuthorizationServerUrls("https://other.example.com", URLS.scimBaseUrl());
        assertThat(verifier.verify(jwt, otherAudience)).isEmpty();
        assertThat(verifier.verify(jwt, otherIssuer)).isEmpty();
        assertThat(verifier.verify(jwt, URLS)).isPresent();
    }

    @Test
    void aTokenOpensOnlyTheUrlItWasIssuedAt() {
        AuthorizationServerUrls internal = AuthorizationServerUrls.of(URI.create("http://scim-internal:8080"),
                "/api/scim/v2");
        String external = issuer.issue(client, "scim", URLS, null).jwt();
        String inside = issuer.issue(client, "scim", internal, null).jwt();
        assertThat(verifier.verify(external, internal)).isEmpty();
        assertThat(verifier.verify(inside, URLS)).isEmpty();
        assertThat(verifier.verify(inside, internal)).isPresent();
    }

    @Test
    void aTokenCheckedBeforeStillOpensOnlyItsUrl() {
        String jwt = issuer.issue(client, "scim", URLS, null).jwt();
        AuthorizationServerUrls internal = AuthorizationServerUrls.of(URI.create("http://scim-internal:8080"),
                "/api/scim/v2");
        assertThat(verifier.verify(jwt, URLS)).isPresent();
        assertThat(verifier.verify(jwt, internal)).isEmpty();
        assertThat(verifier.verify(jwt, URLS)).isPresent();
    }

    @Test
    void aTokenCheckedBeforeEndsWithItsKey() {
        String jwt = issuer.issue(client, "scim", URLS, null).jwt();
        assertThat(verifier.verify(jwt, URLS)).isPresent();
        keyStore.delete(keys.signingKey().getKeyID());
        clock.advance(SigningKeys.REFRESH_INTERVAL);
        assertThat(verifier.verify(jwt, URLS)).as("once every process has read the keys again").isEmpty();
    }

    @Test
    void aTokenOfAnotherTypeIsRefusedEvenWithOurSignature() throws Exception {
        assertThat(verifier.verify(signed(keys.signingKey(), JOSEObjectType.JWT, validClaims()), URLS)).isEmpty();
        assertThat(verifier.verify(signed(keys.signingKey(), null, validClaims()), URLS)).isEmpty();
        assertThat(verifier.verify(signed(keys.signingKey(), new JOSEObjectType("application/at+jwt"), validClaims()), URLS))
                .as("RFC 9068 §4 allows the long form").isPresent();
    }

    @Test
    void aTokenSignedByAKeyWeDoNotPublishIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        assertThat(verifier.verify(signed(stranger, new JOSEObjectType("at+jwt"), validClaims()), URLS)).isEmpty();
        RSAKey thief = new RSAKeyGenerator(2048).keyID(keys.signingKey().getKeyID()).generate();
        assertThat(verifier.verify(signed(thief, new JOSEObjectType("at+jwt"), validClaims()), URLS)).as("our kid").isEmpty();
    }

    @Test
    void unsignedAndHmacTokensAreRefused() throws Exception {
        String none = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(), validClaims())
                .serialize();
        assertThat(verifier.verify(none, URLS)).isEmpty();
        // The classic confusion: an HMAC keyed with the public key's bytes.
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt"))
                .keyID(keys.signingKey().getKeyID()).build(), validClaims());
        hmac.sign(new MACSigner(keys.signingKey().toPublicJWK().toJSONString().repeat(2).getBytes()));
        assertThat(verifier.verify(hmac.serialize(), URLS)).isEmpty();
        assertThat(verifier.verify("not a token", URLS)).isEmpty();
        assertThat(verifier.verify("a.b.c", URLS)).isEmpty();
        assertThat(verifier.verify("x".repeat(5000), URLS)).isEmpty();
    }

    @Test
    void aTokenWithoutAWorkspaceOrWithAnotherSubjectIsRefused() throws Exception {
        JWTClaimsSet noWorkspace = new JWTClaimsSet.Builder(validClaims()).claim("workspace_id", null).build();
        JWTClaimsSet otherSubject = new JWTClaimsSet.Builder(validClaims()).subject("someone-else").build();
        JWTClaimsSet badWorkspace = new JWTClaimsSet.Builder(validClaims()).claim("workspace_id", "default").build();
        for (JWTClaimsSet claims : List.of(noWorkspace, otherSubject, badWorkspace)) {
            assertThat(verifier.verify(signed(keys.signingKey(), new JOSEObjectType("at+jwt"), claims), URLS)).isEmpty();
        }
    }

    @Test
    void rotationKeepsTokensAlreadyIssuedValidUntilTheyExpire() throws Exception {
        String before = issuer.issue(client, "scim", URLS, null).jwt();
        String oldKid = keys.signingKey().getKeyID();
        String newKid = keys.rotate();
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(verifier.verify(before, URLS)).isPresent();

        clock.advance(SigningKeys.SIGNING_LEAD);
        assertThat(keys.signingKey().getKeyID()).as("signs with the new key after its lead").isEqualTo(newKid);
        String after = issuer.issue(client, "scim", URLS, null).jwt();
        assertThat(verifier.verify(after, URLS)).isPresent();
        assertThat(jwksKids()).containsExactlyInAnyOrder(oldKid, newKid);

        clock.advance(LIFETIME.plus(AccessTokenVerifier.MAX_CLOCK_SKEW).minus(SigningKeys.SIGNING_LEAD).minusSeconds(1));
        assertThat(verifier.verify(before, URLS)).as("still within its lifetime and skew").isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(verifier.verify(before, URLS)).as("expired").isEmpty();
        // Another process of the database may give its tokens the longest lifetime allowed.
        assertThat(jwksKids()).as("still published").containsExactlyInAnyOrder(oldKid, newKid);
        clock.advance(SigningKeys.MAX_LIFETIME.minus(LIFETIME).plus(SigningKeys.REFRESH_INTERVAL)
                .plus(SigningKeys.SIGNING_LEAD));
        assertThat(jwksKids()).as("unpublished once no token it signed can be valid").containsExactly(newKid);
        assertThat(keys.prune()).isEqualTo(1);
        assertThat(keyStore.size()).isEqualTo(1);
        assertThat(verifier.verify(issuer.issue(client, "scim", URLS, null).jwt(), URLS)).isPresent();
    }

    @Test
    void aNewKeyWaitsItsLeadBeforeSigningSoEveryProcessKnowsItFirst() {
        String oldKid = keys.signingKey().getKeyID();
        String newKid = keys.rotate();
        assertThat(keys.signingKey().getKeyID()).isEqualTo(oldKid);
        clock.advance(SigningKeys.SIGNING_LEAD.minusMillis(1));
        assertThat(keys.signingKey().getKeyID()).isEqualTo(oldKid);
        clock.advance(Duration.ofMillis(1));
        assertThat(keys.signingKey().getKeyID()).isEqualTo(newKid);
    }

    @Test
    void theActiveKeyIsRotatedOnceItIsOlderThanTheRotationAge() {
        String first = keys.signingKey().getKeyID();
        // The constructor has already moved the clock five minutes past the key's creation.
        clock.advance(SigningKeys.ROTATION_AGE.minus(Duration.ofMinutes(6)));
        assertThat(keys.rotateWhenDue()).isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(keys.rotateWhenDue()).hasValueSatisfying(kid -> assertThat(kid).isNotEqualTo(first));
        assertThat(keys.rotateWhenDue()).as("the new key is young").isEmpty();
        assertThat(keyStore.size()).isEqualTo(2);
    }

    @Test
    void theJwksPublishesPublicKeysOnly() throws Exception {
        JWKSet published = JWKSet.parse(keys.jwksJson());
        assertThat(published.getKeys()).hasSize(1).allSatisfy(key -> {
            assertThat(key.isPrivate()).isFalse();
            assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
        });
        assertThat(keys.jwksJson()).doesNotContain("\"d\"").doesNotContain("\"p\"");
    }

    @Test
    void theJwksStillPublishesTheKeysLastReadWhileTheDatabaseIsAway() throws Exception {
        List<String> published = jwksKids();
        keyStore.unavailable(true);
        clock.advance(SigningKeys.REFRESH_INTERVAL.plusSeconds(1));
        assertThatThrownBy(keys::signingKey).as("the keys are due to be read again")
                .isInstanceOf(CredentialsUnavailableException.class);
        assertThat(jwksKids()).isEqualTo(published);

        SigningKeys neverRead = new SigningKeys(keyStore, LIFETIME, clock);
        assertThatThrownBy(neverRead::jwksJson).as("no keys read yet: nothing to publish")
                .isInstanceOf(CredentialsUnavailableException.class);
        keyStore.unavailable(false);
        assertThat(JWKSet.parse(neverRead.jwksJson()).getKeys()).hasSize(1);
    }

    @Test
    void theLifetimeIsBetweenAMinuteAndADay() {
        assertThatThrownBy(() -> new SigningKeys(keyStore, Duration.ofSeconds(59), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SigningKeys(keyStore, Duration.ofHours(25), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<String> jwksKids() throws Exception {
        return JWKSet.parse(keys.jwksJson()).getKeys().stream().map(k -> k.getKeyID()).toList();
    }

    private JWTClaimsSet validClaims() {
        return new JWTClaimsSet.Builder().issuer(URLS.issuer()).audience(URLS.scimAudience()).subject("scim_cli_test")
                .claim("client_id", "scim_cli_test").claim("workspace_id", client.workspaceId().toString())
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(LIFETIME))).build();
    }

    private static String signed(RSAKey key, JOSEObjectType type, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(type).keyID(key.getKeyID()).build(),
                claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes());
    }
}
