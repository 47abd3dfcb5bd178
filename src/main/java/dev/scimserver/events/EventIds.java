package dev.scimserver.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An event's id: the number of its change in the journal, enciphered. The number counts the changes
 * of every workspace, so its gaps would tell one workspace's receivers how busy the others are; the
 * id names the event to this server and tells a receiver nothing. One AES block holds the number and
 * eight zero bytes: a permutation of the block under a key every process shares (derived from the
 * secret the database keeps), and the zeros tell an id of ours from any other text.
 */
public final class EventIds {
    static final String PREFIX = "evt_";
    private static final String PURPOSE = "event ids";
    private static final int BLOCK = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    /** Ids under a key derived from {@code secret}, which only this use derives it so. */
    public EventIds(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            key = new SecretKeySpec(Arrays.copyOf(mac.doFinal(PURPOSE.getBytes(StandardCharsets.US_ASCII)), BLOCK),
                    "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** The id of the event of journal entry {@code journalId}, the same every time it is asked for. */
    public String of(long journalId) {
        byte[] block = ByteBuffer.allocate(BLOCK).putLong(journalId).array();
        return PREFIX + ENCODER.encodeToString(aes(Cipher.ENCRYPT_MODE, block));
    }

    /** The journal entry an id names, or -1 when it is no id of ours. */
    public long journalIdOf(String eventId) {
        if (eventId == null || !eventId.startsWith(PREFIX) || eventId.length() != PREFIX.length() + 22) {
            return -1;
        }
        byte[] sealed;
        try {
            sealed = DECODER.decode(eventId.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return -1;
        }
        ByteBuffer block = ByteBuffer.wrap(aes(Cipher.DECRYPT_MODE, sealed));
        long journalId = block.getLong();
        return block.getLong() == 0 && journalId >= 0 ? journalId : -1;
    }

    /** AES on one block without padding: ECB's weakness, equal blocks, cannot arise for distinct numbers. */
    private byte[] aes(int mode, byte[] block) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(mode, key);
            return cipher.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES on one whole block is part of every JDK", e);
        }
    }
}
