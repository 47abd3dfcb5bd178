package dev.scimserver.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Every log line of a test, ours at TRACE: what the tests that search logs for secrets read.
 * Register with {@code @RegisterExtension}.
 */
final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger root;
    private Logger ours;
    private Level oursBefore;

    @Override
    public void beforeEach(ExtensionContext context) {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ours = (Logger) LoggerFactory.getLogger("dev.scimserver");
        oursBefore = ours.getLevel();
        ours.setLevel(Level.TRACE);
        appender.start();
        root.addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root.detachAppender(appender);
        ours.setLevel(oursBefore);
    }

    /** The lines so far; clear it to start looking afresh. */
    List<ILoggingEvent> list() {
        return appender.list;
    }
}
