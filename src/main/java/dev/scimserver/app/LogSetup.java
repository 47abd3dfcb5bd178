package dev.scimserver.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;

import java.util.List;

/**
 * The server's logging, set up in code (logback finds it as a service): one console line per event,
 * and the libraries' chatter from WARN on. A logback.xml made logback load its XML parser and
 * configuration interpreter, a few hundred classes, on every start, before the first log line. A
 * configuration file named by {@code -Dlogback.configurationFile} still wins.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final List<String> QUIET = List.of("org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb",
            "io.javalin", "io.zonky");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        // The date and time in UTC, as the JSON lines carry them, and a request's id where a line belongs
        // to one (a throttle's warning names no request of its own).
        encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z', UTC} %-5level %logger{20}%replace( [%X{requestId}]){' \\[\\]', ''} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.addFilter(new JavalinRepeats());
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        for (String library : QUIET) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Javalin logs an ERROR with a trace of its own when its start fails (a port taken) and when its
     * stop outlives the grace; the server says what each means once, in one line of its own. Only those
     * two go: the same logger carries Javalin's report of an Error thrown while serving a request.
     *
     * <p>A filter of the appender, which sees only the events that are written, not a turbo filter:
     * logback asks every turbo filter on every logging call, each {@code isDebugEnabled()} of Jetty's
     * included, several per request.
     */
    static final class JavalinRepeats extends Filter<ILoggingEvent> {
        private static final List<String> SAID_BY_THE_SERVER = List.of("Failed to start Javalin",
                "Javalin failed to stop gracefully");

        @Override
        public FilterReply decide(ILoggingEvent event) {
            String format = event.getMessage();
            return event.getLoggerName().equals("io.javalin.Javalin") && format != null
                    && SAID_BY_THE_SERVER.stream().anyMatch(format::startsWith) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
