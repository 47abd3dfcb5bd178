package dev.scimserver.events;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Webhook signing secrets: made here ({@code whsec_} and 32 random bytes in base64), shown once, and
 * kept so that they can sign again, which a digest cannot. With {@code SCIM_EVENTS_SECRET_KEY} (32
 * bytes, base64) each is sealed with AES-256-GCM under that key, bound to its subscription's id, so a
 * copy of the database alone signs nothing; without it the secret is stored as the signing keys'
 * private halves are, protected by the database's own access control (a leading byte says which).
 */
public final class WebhookSecrets {
    private static final byte CLEAR = 0;
    private static final byte AES_GCM = 1;
    private static final int NONCE_BYTES = 12;
    private static final int SECRET_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    /** {@code key}: 32 bytes, or {@code null} to store secrets unsealed. */
    public WebhookSecrets(byte[] key) {
        if (key != null && key.length != 32) {
            throw new IllegalArgumentException("the sealing key must be 32 bytes, not " + key.length);
        }
        this.key = key == null ? null : new SecretKeySpec(key, "AES");
    }

    String generate() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return WebhookSignature.SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    byte[] seal(String secret, String subscriptionId) {
        byte[] clear = secret.getBytes(StandardCharsets.US_ASCII);
        if (key == null) {
            return ByteBuffer.allocate(1 + clear.length).put(CLEAR).put(clear).array();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, subscriptionId, clear);
        return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(AES_GCM).put(nonce).put(sealed).array();
    }

    String open(byte[] stored, String subscriptionId) {
        if (stored[0] == CLEAR) {
            return new String(stored, 1, stored.length - 1, StandardCharsets.US_ASCII);
        }
        if (key == null) {
            throw new WebhookSecretUnavailableException("the webhook secret is sealed but SCIM_EVENTS_SECRET_KEY is "
                    + "not set", null);
        }
        byte[] nonce = Arrays.copyOfRange(stored, 1, 1 + NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(stored, 1 + NONCE_BYTES, stored.length);
        return new String(crypt(Cipher.DECRYPT_MODE, nonce, subscriptionId, sealed), StandardCharsets.US_ASCII);
    }

    private byte[] crypt(int mode, byte[] nonce, String subscriptionId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(subscriptionId.getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            if (mode == Cipher.DECRYPT_MODE) {
                throw new WebhookSecretUnavailableException("the webhook secret cannot be opened: "
                        + "SCIM_EVENTS_SECRET_KEY is not the key it was sealed with", e);
            }
            throw new IllegalStateException("a webhook secret cannot be sealed", e);
        }
    }
}
