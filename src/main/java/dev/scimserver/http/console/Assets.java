package dev.scimserver.http.console;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's scripts and styles, served by the process from its classpath (htmx from its webjar):
 * nothing comes from a CDN, so the console works offline. Only the files named here are served.
 */
final class Assets {
    /** The htmx webjar's version, as the build pins it; a test fetches the file, so a change that forgets this fails. */
    static final String HTMX_VERSION = "2.0.8";

    private record Asset(String contentType, byte[] bytes) {
    }

    private static final Map<String, Asset> FILES = Map.of(
            "console.css", load("text/css; charset=utf-8", "/console/console.css"),
            "console.js", load("text/javascript; charset=utf-8", "/console/console.js"),
            "htmx.min.js", load("text/javascript; charset=utf-8",
                    "/META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js"));

    private Assets() {
    }

    static void serve(Context ctx) {
        Asset asset = FILES.get(ctx.pathParam("name"));
        if (asset == null) {
            ConsoleFailures.answerFrameworkError(ctx, 404);
            return;
        }
        // Public files, the same for everyone: a browser may keep them a while.
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.status(200).contentType(asset.contentType()).result(asset.bytes());
    }

    private static Asset load(String contentType, String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("a console asset is missing from the classpath: " + resource);
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
