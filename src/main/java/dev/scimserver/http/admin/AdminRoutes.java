package dev.scimserver.http.admin;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The administration API's routes, relative to {@link AdminApi#BASE_PATH}, collected before they are
 * registered: the list the OpenAPI document is checked against is the list that is served.
 */
final class AdminRoutes {
    /** One route; {@code path} uses {@code {name}} for its parameters, as OpenAPI does. */
    record Route(HandlerType method, String path, Handler handler) {
    }

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");

    private final List<Route> routes = new ArrayList<>();

    void get(String path, Handler handler) {
        routes.add(new Route(HandlerType.GET, path, handler));
    }

    void post(String path, Handler handler) {
        routes.add(new Route(HandlerType.POST, path, handler));
    }

    void put(String path, Handler handler) {
        routes.add(new Route(HandlerType.PUT, path, handler));
    }

    void patch(String path, Handler handler) {
        routes.add(new Route(HandlerType.PATCH, path, handler));
    }

    void delete(String path, Handler handler) {
        routes.add(new Route(HandlerType.DELETE, path, handler));
    }

    List<Route> all() {
        return List.copyOf(routes);
    }

    /**
     * The methods served at {@code path} (relative to {@link AdminApi#BASE_PATH}), as the router
     * matches it: any case, a trailing slash ignored, a parameter being one segment.
     */
    List<HandlerType> methodsAt(String path) {
        String segments = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return routes.stream().filter(route -> pattern(route.path()).matcher(segments).matches())
                .map(Route::method).distinct().toList();
    }

    private static Pattern pattern(String routePath) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(routePath);
        int literal = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(routePath.substring(literal, parameter.start()))).append("[^/]+");
            literal = parameter.end();
        }
        regex.append(Pattern.quote(routePath.substring(literal)));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
    }
}
