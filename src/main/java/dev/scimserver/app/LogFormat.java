package dev.scimserver.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Switches the process's log lines to {@link JsonLogLines} ({@code LOG_FORMAT=json}), in code rather
 * than in {@code logback.xml}: the setting may come from {@code .env}, which Logback never reads.
 * Every console or stream appender of the root logger gets the JSON encoder; the default stays the
 * human-readable pattern {@link LogSetup} sets.
 */
final class LogFormat {
    private LogFormat() {
    }

    static void useJson() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
            if (appenders.next() instanceof OutputStreamAppender<ILoggingEvent> stream
                    && !(stream.getEncoder() instanceof JsonLogLines)) {
                JsonLogLines encoder = new JsonLogLines();
                encoder.setContext(context);
                encoder.start();
                stream.stop();
                stream.setEncoder(encoder);
                stream.start();
            }
        }
    }
}
