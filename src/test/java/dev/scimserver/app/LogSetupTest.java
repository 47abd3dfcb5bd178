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

    private static ILoggingEvent event(Logger logger, String message) {
        return new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, message, null, null);
    }
}
