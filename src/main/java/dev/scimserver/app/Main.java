package dev.scimserver.app;

import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads the configuration and starts the server, or hands {@code admin ...} to {@link AdminCommand}; nothing else. */
public final class Main {
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
        Config config;
        try {
            config = Config.from(Config.variables(Path.of("."), System.getenv()));
        } catch (ConfigException e) {
            LoggerFactory.getLogger(Main.class).error("configuration error: {}", e.getMessage());
            System.exit(2);
            return;
        }
        if (config.observability().jsonLogs()) {
            LogFormat.useJson();
        }
        ScimServer server = ScimServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }
}
