package dev.scimserver.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An event's id: its change's number in the journal and the change's time, enciphered. The number
 * counts the changes of every workspace, so its gaps would tell one workspace's receivers how busy
 * the others are; the id names the event to this server and tells a receiver nothing. The time makes
 * the id of a change numbered again unlike the first one's: a database restored from a backup numbers
 * its next changes as the lost ones were, and receivers that process each id once would drop them.
 *
 * <p>One AES block holds the number and the time in microseconds: a permutation of the block under a
 * key every process shares (derived from the secret the database keeps). Changes up to
 * {@code timedAfter} (V44: those journalled before ids held a time) keep the ids already sent for
 * them, the number and eight zero bytes. Either form's unused high bits tell an id of ours from any
 * other text.
 */
public final class EventIds {
    static final String PREFIX = "evt_";
    private static final String PURPOSE = "event ids";
    private static final int BLOCK = 16;
    /** Microseconds after 1970 an id can hold: past the year 2255, and the 11 bits above stay zero. */
    private static final long TIMES_BELOW = 1L << 53;
    /** Journal numbers a timed id can hold, far beyond any journal; the 16 bits above stay zero. */
    private static final long NUMBERS_BELOW = 1L << 48;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final long timedAfter;

    /**
     * Ids under a key derived from {@code secret}, which only this use derives it so; changes numbered
     * up to {@code timedAfter} are named by their number alone.
     */
    public EventIds(byte[] secret, long timedAfter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            key = new SecretKeySpec(Arrays.copyOf(mac.doFinal(PURPOSE.getBytes(StandardCharsets.US_ASCII)), BLOCK),
                    "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
        this.timedAfter = timedAfter;
    }

    /** The id of the event of journal entry {@code journalId}, made at {@code occurredAt}: the same every time. */
    public String of(long journalId, Instant occurredAt) {
        long micros = journalId <= timedAfter ? 0
                : Math.addExact(Math.multiplyExact(occurredAt.getEpochSecond(), 1_000_000L), occurredAt.getNano() / 1_000);
        if (micros < 0 || micros >= TIMES_BELOW || micros > 0 && journalId >= NUMBERS_BELOW) {
            throw new IllegalArgumentException("a change an id cannot name: " + journalId + " at " + occurredAt);
        }
        byte[] block = ByteBuffer.allocate(BLOCK).putLong(journalId).putLong(micros).array();
        return PREFIX + ENCODER.encodeToString(aes(Cipher.ENCRYPT_MODE, block));
    }

    /**
     * What an id names: its change's journal number, and the change's time in microseconds after 1970
     * (0 in an id made before ids held one). A poller's acknowledgement matches a change only when
     * both do: after a restore, an id of a lost change names a number that a new change holds.
     */
    public record Named(long journalId, long micros) {
    }

    /**
     * What {@code eventId} names, or null when it is no id of ours: one this server makes, or one of the
     * plain form {@code evt_<number>} that releases before 2026-12-05 sent for the changes up to
     * {@code timedAfter}, so that a poller that upgrades holding their tokens acknowledges them.
     */
    public Named named(String eventId) {
        if (eventId == null || !eventId.startsWith(PREFIX)) {
            return null;
        }
        Named plain = plain(eventId.substring(PREFIX.length()));
        if (plain != null) {
            return plain;
        }
        if (eventId.length() != PREFIX.length() + 22) {
            return null;
        }
        byte[] sealed;
        try {
            sealed = DECODER.decode(eventId.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        ByteBuffer block = ByteBuffer.wrap(aes(Cipher.DECRYPT_MODE, sealed));
        long journalId = block.getLong();
        long micros = block.getLong();
        boolean ours = journalId >= 0 && (journalId <= timedAfter ? micros == 0
                : journalId < NUMBERS_BELOW && micros > 0 && micros < TIMES_BELOW);
        return ours ? new Named(journalId, micros) : null;
    }

    /** A journal number as {@link Long#toString} wrote it, from 1 to {@code timedAfter}; else null. */
    private Named plain(String digits) {
        if (digits.isEmpty() || digits.length() > 19 || digits.charAt(0) == '0'
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        try {
            long journalId = Long.parseLong(digits);
            return journalId <= timedAfter ? new Named(journalId, 0) : null;
        } catch (NumberFormatException e) {
            return null;
        }
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
