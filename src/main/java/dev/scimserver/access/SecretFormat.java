package dev.scimserver.access;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The shape of the secrets this server hands out: a recognisable prefix, then 256 random bits from
 * {@link SecureRandom} in unpadded base64url (43 characters). The prefix lets secret scanners and a
 * plain {@code grep} find a leaked one in logs, repositories or tickets, and tells at a glance which
 * kind it is; it also lets a presented value that cannot be one be refused without a lookup.
 *
 * <p>Stored as {@link SecretHash}, a SHA-256 digest, not with bcrypt or Argon2: slow hashes exist to
 * stop an offline guesser who holds the digests from trying likely passwords, and a 256-bit random
 * secret has no likely values to try, so SHA-256's preimage resistance already protects it. A fast,
 * unsalted digest can also be looked up through a unique index, so checking a token is one index
 * probe instead of a slow hash per stored candidate on every request.
 */
public enum SecretFormat {
    /** A workspace's named bearer token for SCIM requests. */
    API_TOKEN("scim_tok_"),
    /** A secret of an OAuth client, presented only to the token endpoint. */
    CLIENT_SECRET("scim_sec_");

    private static final int RANDOM_BYTES = 32;
    private static final int ENCODED_LENGTH = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;

    SecretFormat(String prefix) {
        this.prefix = prefix;
    }

    /** A new secret of this kind; the caller shows it once and keeps only its {@link SecretHash}. */
    String generate() {
        return prefix + randomBase64Url(RANDOM_BYTES);
    }

    /** Whether {@code presented} has this kind's shape, so that it could be one of ours. */
    public boolean fits(String presented) {
        if (presented == null || presented.length() != prefix.length() + ENCODED_LENGTH
                || !presented.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < presented.length(); i++) {
            if (!isBase64UrlCharacter(presented.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code text} holds the beginning of a secret of any kind, in any case: a value a client
     * chose (a request id) that the server would repeat in its answers and logs.
     */
    public static boolean holdsAnyPrefix(String text) {
        String lowered = text.toLowerCase(Locale.ROOT);
        for (SecretFormat format : values()) {
            if (lowered.contains(format.prefix)) {
                return true;
            }
        }
        return false;
    }

    static String randomBase64Url(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static boolean isBase64UrlCharacter(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }
}
