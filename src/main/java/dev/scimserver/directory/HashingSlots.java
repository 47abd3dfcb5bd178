package dev.scimserver.directory;

import java.util.concurrent.Semaphore;

/**
 * A hasher that hashes at most a fixed number of passwords at once in the process, the other callers
 * waiting their turn in order. bcrypt takes a core for tens of milliseconds a password, and a single
 * request can ask for a thousand (a Bulk of creates): without slots, a few such requests took every
 * core and every other request of every workspace waited behind them.
 */
final class HashingSlots implements PasswordHasher {
    private final PasswordHasher hasher;
    private final Semaphore slots;

    HashingSlots(PasswordHasher hasher, int atOnce) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("at least one password must be hashed at a time");
        }
        this.hasher = hasher;
        this.slots = new Semaphore(atOnce, true);
    }

    /** Half the cores, at least one: the others stay free for the requests that hash nothing. */
    static int halfTheCores() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    @Override
    public String hash(String password) {
        slots.acquireUninterruptibly();
        try {
            return hasher.hash(password);
        } finally {
            slots.release();
        }
    }

    @Override
    public boolean matches(String password, String hash) {
        slots.acquireUninterruptibly();
        try {
            return hasher.matches(password, hash);
        } finally {
            slots.release();
        }
    }

    /** How many callers wait for a slot. */
    int waiting() {
        return slots.getQueueLength();
    }
}
