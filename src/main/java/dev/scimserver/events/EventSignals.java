package dev.scimserver.events;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * "There may be new events": raised by the database's NOTIFY (through the store's listener), by a
 * finished attempt and by an administrator's resume or replay; awaited by the dispatcher and by long
 * polls. A counter, so that a signal given between a look and the wait that follows it is not lost.
 */
public final class EventSignals {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    public void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Returns once a signal came after {@code seen} was read, or after {@code max}. */
    void awaitAfter(long seen, Duration max) throws InterruptedException {
        lock.lock();
        try {
            long nanos = max.toNanos();
            while (generation == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
