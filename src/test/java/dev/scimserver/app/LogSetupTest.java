package dev.scimserver.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSetupTest {

    /** A turbo filter is asked on every logging call, written or not: the server installs none. */
    @Test
    void noTurboFilterStandsInFrontOfEveryLoggingCall() {
        LoggerContext context = new LoggerContext();
        new LogSetup().configure(context);
        assertThat(context.getTurboFilterList()).isEmpty();
    }

    @Test
    void javalinsOwnTraceOfAFailedStartIsNotWrittenButItsOtherErrorsAre() {
        LoggerContext context = new LoggerContext();
        new LogSetup().configure(context);
        Appender<ILoggingEvent> console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        Logger javalin = context.getLogger("io.javalin.Javalin");

        assertThat(console.getFilterChainDecision(event(javalin, "Failed to start Javalin")))
                .isEqualTo(FilterReply.DENY);
        assertThat(console.getFilterChainDecision(event(javalin, "Javalin failed to stop gracefully")))
                .isEqualTo(FilterReply.DENY);
        assertThat(console.getFilterChainDecision(event(javalin, "Exception occurred while servicing http-request")))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(console.getFilterChainDecision(event(context.getLogger("dev.scimserver.app.Main"),
                "Failed to start Javalin"))).isEqualTo(FilterReply.NEUTRAL);
    }

    /** A text line says its date and time in UTC, and the request's id when it belongs to one. */
    @Test
    void aTextLineHasItsDateInUtcAndItsRequestsId() {
        LoggerContext context = new LoggerContext();
        new LogSetup().configure(context);
        ch.qos.logback.core.ConsoleAppender<ILoggingEvent> console =
                (ch.qos.logback.core.ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                        .getAppender("STDOUT");
        Logger logger = context.getLogger("dev.scimserver.access.RequestThrottle");
        LoggingEvent outside = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "throttled", null, null);
        outside.setTimeStamp(java.time.Instant.parse("2026-12-07T02:52:00Z").toEpochMilli());
        outside.setMDCPropertyMap(java.util.Map.of());
        assertThat(text(console, outside)).isEqualTo("2026-12-07T02:52:00.000Z WARN  d.s.a.RequestThrottle - throttled\n");
        LoggingEvent within = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "throttled", null, null);
        within.setTimeStamp(java.time.Instant.parse("2026-12-07T02:52:00.25Z").toEpochMilli());
        within.setMDCPropertyMap(java.util.Map.of("requestId", "okta-1"));
        assertThat(text(console, within))
                .isEqualTo("2026-12-07T02:52:00.250Z WARN  d.s.a.RequestThrottle [okta-1] - throttled\n");
    }

    private static String text(ch.qos.logback.core.ConsoleAppender<ILoggingEvent> console, ILoggingEvent event) {
        return new String(console.getEncoder().encode(event), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ILoggingEvent event(Logger logger, String message) {
        return new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, message, null, null);
    }
}
