package dev.scimserver.http.console;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** A console session ends at sign-out, after its idle time, and at its absolute limit, on a clock the test moves. */
class ConsoleSessionsTest {
    /** A clock that stands still until the test moves it. */
    private static final class MovedClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovedClock clock = new MovedClock();
    private final ConsoleSessions sessions = new ConsoleSessions(clock);

    @Test
    void aSessionIsFoundByItsIdOnlyAndEndsAtSignOut() {
        ConsoleSessions.Session session = sessions.open();
        assertThat(sessions.find(session.id)).containsSame(session);
        assertThat(sessions.find(session.csrfToken)).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        sessions.close(session.id);
        assertThat(sessions.find(session.id)).isEmpty();
    }

    @Test
    void eachSessionHasItsOwnUnguessableIdAndCsrfToken() {
        ConsoleSessions.Session one = sessions.open();
        ConsoleSessions.Session two = sessions.open();
        assertThat(one.id).isNotEqualTo(two.id).isNotEqualTo(one.csrfToken).hasSize(43);
        assertThat(one.csrfToken).isNotEqualTo(two.csrfToken).hasSize(43);
    }

    @Test
    void aSessionLeftIdleEnds() {
        ConsoleSessions.Session session = sessions.open();
        clock.move(ConsoleSessions.IDLE.minusSeconds(1));
        assertThat(sessions.find(session.id)).isPresent();
        clock.move(ConsoleSessions.IDLE.minusSeconds(1));
        assertThat(sessions.find(session.id)).as("each request restarts the idle time").isPresent();
        clock.move(ConsoleSessions.IDLE.plusSeconds(1));
        assertThat(sessions.find(session.id)).isEmpty();
    }

    @Test
    void aSessionInUseStillEndsAtItsAbsoluteLimit() {
        ConsoleSessions.Session session = sessions.open();
        Duration step = ConsoleSessions.IDLE.minusMinutes(1);
        Duration used = Duration.ZERO;
        while (used.plus(step).compareTo(ConsoleSessions.ABSOLUTE) <= 0) {
            clock.move(step);
            used = used.plus(step);
            assertThat(sessions.find(session.id)).isPresent();
        }
        clock.move(step);
        assertThat(sessions.find(session.id)).isEmpty();
    }
}
