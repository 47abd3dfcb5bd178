package dev.scimserver.http.admin;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;

/**
 * The administration API's routes, relative to {@link AdminApi#BASE_PATH}, collected before they are
 * registered: the list the OpenAPI document is checked against is the list that is served.
 */
final class AdminRoutes {
    /** One route; {@code path} uses {@code {name}} for its parameters, as OpenAPI does. */
    record Route(HandlerType method, String path, Handler handler) {
    }

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
}
