package dev.scimserver.http.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's signed-in sessions, kept in this process's memory: a restart signs everyone out, and
 * several processes behind one address need sticky sessions. Kept here rather than in the database
 * because the console has one user (the holder of the admin token) and a session is cheap to open
 * again. A session ends when signed out, after {@link #IDLE} without a request, and {@link #ABSOLUTE}
 * after it began, whichever comes first.
 */
final class ConsoleSessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration ABSOLUTE = Duration.ofHours(8);
    /** Sign-ins are throttled, so this bound is reached only by a flood of successful ones; the oldest goes first. */
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** One session: its cookie value, the token its forms carry, when it began and when it was last used. */
    static final class Session {
        final String id;
        final String csrfToken;
        final Instant startedAt;
        volatile Instant lastSeenAt;

        private Session(String id, String csrfToken, Instant startedAt) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.startedAt = startedAt;
            this.lastSeenAt = startedAt;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    ConsoleSessions(Clock clock) {
        this.clock = clock;
    }

    Session open() {
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(s -> s.lastSeenAt))
                    .ifPresent(oldest -> sessions.remove(oldest.id));
        }
        Session session = new Session(randomToken(), randomToken(), clock.instant());
        sessions.put(session.id, session);
        return session;
    }

    /** The live session with this cookie value, its idle time restarted; an expired one is forgotten. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (now.isAfter(session.lastSeenAt.plus(IDLE)) || now.isAfter(session.startedAt.plus(ABSOLUTE))) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastSeenAt = now;
        return Optional.of(session);
    }

    void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** 256 random bits, URL-safe: guessing one is hopeless, and it fits a cookie and a form field as is. */
    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }
}
