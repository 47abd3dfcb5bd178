package dev.scimserver.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The keys that sign access tokens, kept in PostgreSQL and shared by every server process: one
 * active key signs; {@link #rotate()} retires it and makes a new one, and a retired key stays
 * published (in the JWKS) and valid for checking until every token it can have signed has expired,
 * so a rotation never cuts off a token already issued.
 *
 * <p>RS256 with 2048-bit RSA keys, not ES256: RFC 9068 §2.1 makes RS256 the one algorithm every
 * authorization server and resource server of its profile must support, so any resource server or
 * library can check our tokens; and checking, which happens on every SCIM request, is much cheaper
 * with RSA than with ECDSA, while signing happens once per token. Key generation is slower but rare.
 *
 * <p>Rotation policy: the active key is replaced once it is {@link #ROTATION_AGE} old, by whichever
 * process's housekeeping sees it first ({@link #rotateWhenDue()}; the others find it done), so a
 * key signs for a bounded time and a leaked one stops being accepted soon after. The retired key
 * stays published until the last token it signed has expired, then {@link #prune()} deletes it.
 *
 * <p>Every process reads the keys again each {@link #REFRESH_INTERVAL}, and at once (at most once a
 * {@link #UNKNOWN_KID_RELOAD_GAP}) when a token names a key it does not know. A new key signs only
 * from {@link #SIGNING_LEAD} after its creation, longer than the refresh interval, so every process
 * already publishes it in its JWK Set when the first token it signs goes out: a receiver of security
 * event tokens, or any resource server, that fetches the keys through a balancer from another process
 * than the one that signed finds the key. (Longer than the unknown key's gap alone let each process
 * check the token itself, while the others' JWK Sets lacked the key for up to a minute.)
 */
public final class SigningKeys {
    static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
    static final Duration UNKNOWN_KID_RELOAD_GAP = Duration.ofSeconds(1);
    /** A refresh interval and a margin for the rotating transaction's commit and the processes' clocks. */
    public static final Duration SIGNING_LEAD = REFRESH_INTERVAL.plusSeconds(5);
    /** How long a key signs before it is rotated. */
    public static final Duration ROTATION_AGE = Duration.ofDays(30);
    private static final int RSA_KEY_BITS = 2048;
    /** Access tokens live between a minute (shorter is a clock-skew lottery) and a day (longer outlives a rotation). */
    private static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    /** A stored key, its public half made once at load rather than on every check. */
    private record Key(RSAKey jwk, JWK publicJwk, Instant createdAt, Instant retiredAt) {
    }

    private record Ring(List<Key> keys, Instant loadedAt) {
    }

    private final SigningKeyStore store;
    private final Duration tokenLifetime;
    private final Clock clock;
    /** How long after its retirement a key can still have signed a token that has not expired. */
    private final Duration publishedAfterRetirement;
    private volatile Ring ring;

    public SigningKeys(SigningKeyStore store, Duration tokenLifetime, Clock clock) {
        this.store = store;
        this.tokenLifetime = checkedLifetime(tokenLifetime);
        this.clock = clock;
        // A process that has not yet read the rotation keeps signing with the old key for up to a
        // refresh interval, and the new key waits its lead; the checker then allows its clock skew.
        // The longest lifetime any process may give its tokens, not this one's: the processes of one
        // database need not share SCIM_OAUTH_TOKEN_TTL (a rolling restart changes it one by one), and
        // one with a shorter lifetime deleted and stopped publishing a key whose tokens, signed by
        // another, still had most of their hour to live.
        this.publishedAfterRetirement = MAX_LIFETIME.plus(REFRESH_INTERVAL).plus(SIGNING_LEAD)
                .plus(AccessTokenVerifier.MAX_CLOCK_SKEW);
    }

    /**
     * {@code lifetime} when access tokens may live that long.
     *
     * @throws IllegalArgumentException naming the bounds when they may not
     */
    public static Duration checkedLifetime(Duration lifetime) {
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("the access token lifetime lies between 1 minute and 1 day, not "
                    + lifetime.toSeconds() + " seconds");
        }
        return lifetime;
    }

    /** How long the access tokens signed with these keys live. */
    public Duration tokenLifetime() {
        return tokenLifetime;
    }

    /** Makes the first key when the database has none; call at startup. Safe when processes race. */
    public void ensureActiveKey() {
        reload();
        if (ring.keys().stream().noneMatch(key -> key.retiredAt() == null)) {
            store.insertActiveKeyIfNone(generate());
            reload();
        }
    }

    /** Retires the active key and makes a new one; the key id of the key active afterwards. */
    public String rotate() {
        store.rotateTo(generate(), clock.instant());
        reload();
        return ring.keys().stream().filter(key -> key.retiredAt() == null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no active signing key after a rotation"))
                .jwk().getKeyID();
    }

    /**
     * Rotates the active key when it is {@link #ROTATION_AGE} old: the new key's id, or empty when
     * it was not due or another process rotated it first. Safe when processes race: exactly one of
     * them rotates.
     */
    public Optional<String> rotateWhenDue() {
        reload();
        Instant now = clock.instant();
        Optional<Key> active = ring.keys().stream().filter(key -> key.retiredAt() == null).findFirst();
        if (active.isEmpty()) {
            ensureActiveKey();
            return Optional.empty();
        }
        if (now.isBefore(active.get().createdAt().plus(ROTATION_AGE))) {
            return Optional.empty();
        }
        StoredSigningKey next = generate();
        boolean rotated = store.replaceActive(active.get().jwk().getKeyID(), next, now);
        reload();
        return rotated ? Optional.of(next.kid()) : Optional.empty();
    }

    /** Deletes the keys no token that has not expired can need; how many. */
    public int prune() {
        int deleted = store.deleteKeysRetiredBefore(clock.instant().minus(publishedAfterRetirement));
        reload();
        return deleted;
    }

    /**
     * The published public keys as a JWK Set (RFC 7517 §5), {@code application/json}; never a private part.
     * When the database cannot be read, the keys last read: they are public, and a resource server that
     * fetches them during an outage goes on checking the tokens it holds instead of failing with us.
     */
    public String jwksJson() {
        Ring keys;
        try {
            keys = current();
        } catch (CredentialsUnavailableException e) {
            keys = ring;
            if (keys == null) {
                throw e;
            }
        }
        return new JWKSet(publishedKeys(keys, clock.instant())).toString(true);
    }

    /** The key to sign with now: the newest published key whose lead has passed, else the oldest published one. */
    RSAKey signingKey() {
        Instant now = clock.instant();
        List<Key> published = newestPublished(current(), now);
        if (published.isEmpty()) {
            ensureActiveKey();
            published = newestPublished(ring, now);
        }
        if (published.isEmpty()) {
            throw new IllegalStateException("no signing key after making one");
        }
        return published.stream().filter(key -> !now.isBefore(key.createdAt().plus(SIGNING_LEAD))).findFirst()
                .orElse(published.get(published.size() - 1)).jwk();
    }

    /** Whether the key {@code kid} is published now (as of the last read of the keys). */
    boolean publishes(String kid) {
        Instant now = clock.instant();
        return current().keys().stream().anyMatch(key -> key.jwk().getKeyID().equals(kid) && isPublished(key, now));
    }

    /** The published public keys, read again first when none matches and the last read is old enough. */
    JWKSource<SecurityContext> verificationKeys() {
        return (selector, context) -> {
            List<JWK> found = selector.select(new JWKSet(publishedKeys(current(), clock.instant())));
            if (found.isEmpty() && reloadForUnknownKey()) {
                found = selector.select(new JWKSet(publishedKeys(ring, clock.instant())));
            }
            return found;
        };
    }

    private List<Key> newestPublished(Ring current, Instant now) {
        // A key retires when the next one is made: the active key is the newest, then the latest retired.
        return current.keys().stream().filter(key -> isPublished(key, now))
                .sorted(Comparator.comparing(Key::retiredAt, Comparator.nullsFirst(Comparator.reverseOrder())))
                .toList();
    }

    private List<JWK> publishedKeys(Ring current, Instant now) {
        return current.keys().stream().filter(key -> isPublished(key, now))
                .map(Key::publicJwk).toList();
    }

    private boolean isPublished(Key key, Instant now) {
        return key.retiredAt() == null || now.isBefore(key.retiredAt().plus(publishedAfterRetirement));
    }

    private Ring current() {
        Ring current = ring;
        if (current == null || !clock.instant().isBefore(current.loadedAt().plus(REFRESH_INTERVAL))) {
            synchronized (this) {
                if (ring == current) {
                    reload();
                }
            }
        }
        return ring;
    }

    private synchronized boolean reloadForUnknownKey() {
        if (ring != null && clock.instant().isBefore(ring.loadedAt().plus(UNKNOWN_KID_RELOAD_GAP))) {
            return false;
        }
        reload();
        return true;
    }

    private synchronized void reload() {
        Instant started = clock.instant();
        List<Key> keys = store.signingKeys().stream().map(SigningKeys::parse).toList();
        ring = new Ring(keys, started);
    }

    private static Key parse(StoredSigningKey stored) {
        try {
            RSAKey key = RSAKey.parse(stored.privateJwk());
            return new Key(key, key.toPublicJWK(), stored.createdAt(), stored.retiredAt());
        } catch (ParseException e) {
            throw new IllegalStateException("the stored signing key " + stored.kid() + " is not an RSA JWK", e);
        }
    }

    private StoredSigningKey generate() {
        try {
            RSAKey key = new RSAKeyGenerator(RSA_KEY_BITS).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
            return new StoredSigningKey(key.getKeyID(), key.toPublicJWK().toJSONString(), key.toJSONString(),
                    clock.instant(), null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
    }
}
