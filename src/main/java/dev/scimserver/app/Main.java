package dev.scimserver.app;

import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/** Reads the configuration and starts the server; nothing else. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.from(Config.variables(Path.of("."), System.getenv()));
        } catch (ConfigException e) {
            LoggerFactory.getLogger(Main.class).error("configuration error: {}", e.getMessage());
            System.exit(2);
            return;
        }
        ScimServer server = ScimServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    }
}
