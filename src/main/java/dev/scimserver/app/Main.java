package dev.scimserver.app;

import dev.scimserver.store.StartRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads the configuration and starts the server, or hands {@code admin ...} to {@link AdminCommand}; nothing else. */
public final class Main {
    private static final String USAGE = """
            usage: java -jar scim-server.jar            runs the server, configured by its environment and .env
                   java -jar scim-server.jar admin ...  administers a running server (admin --help)""";

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("admin")) {
            Map<String, String> variables;
            try {
                variables = Config.variables(Path.of("."), System.getenv());
            } catch (ConfigException e) {
                System.err.println("error: " + e.getMessage());
                System.exit(AdminCommand.USAGE);
                return;
            }
            System.exit(AdminCommand.run(List.of(args).subList(1, args.length), variables, System.out, System.err));
            return;
        }
        if (args.length > 0) {
            // Anything else is no start of the server: a start reads nothing from its arguments, and
            // `java -jar new.jar --help` beside running servers must not migrate their database.
            boolean help = List.of("--help", "-h", "help").contains(args[0]);
            (help ? System.out : System.err).println((help ? "" : "error: unknown command '" + args[0] + "'\n") + USAGE);
            System.exit(help ? 0 : AdminCommand.USAGE);
            return;
        }
        Config config;
        // The format first, from the environment and then from .env, so that a refusal of the rest of
        // the configuration is logged in it: the one line that says why the server never started.
        if (Config.jsonLogs(System.getenv())) {
            LogFormat.useJson();
        }
        try {
            Map<String, String> variables = Config.variables(Path.of("."), System.getenv());
            if (Config.jsonLogs(variables)) {
                LogFormat.useJson();
            }
            config = Config.from(variables);
        } catch (ConfigException e) {
            LoggerFactory.getLogger(Main.class).error("configuration error: {}", e.getMessage());
            System.exit(2);
            return;
        }
        try {
            ScimServer.startHooked(config);
        } catch (StoppedWhileStartingException e) {
            LoggerFactory.getLogger(Main.class).info("{}: stopped", e.getMessage());
            System.exit(1);
        } catch (RuntimeException e) {
            logStartFailure(e);
            System.exit(1);
        }
    }

    /**
     * One line for a refusal the server states itself (a database it cannot reach, a DATA_DIR in use,
     * a port taken): its message says what to fix, and a trace would bury it. Anything else is a bug,
     * and its trace is what finds it.
     */
    private static void logStartFailure(RuntimeException failure) {
        boolean refusal = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            refusal |= cause instanceof StartRefusedException;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        if (refusal) {
            log.error("the server could not start: {}", messages(failure));
        } else {
            log.error("the server could not start: {}", messages(failure), failure);
        }
    }

    /** The messages of {@code failure} and its causes, each once: a wrapper often repeats its cause's. */
    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (messages.indexOf(message) < 0) {
                messages.append(messages.isEmpty() ? "" : messages.charAt(messages.length() - 1) == '.' ? " " : ": ")
                        .append(message);
            }
        }
        return messages.toString();
    }
}
