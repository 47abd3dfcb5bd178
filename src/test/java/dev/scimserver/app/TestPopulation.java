package dev.scimserver.app;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Users made over HTTP for the hardening tests, many at once, each test asking for its own. */
final class TestPopulation {
    private TestPopulation() {
    }

    /** Creates {@code count} active users through the shared server and returns their ids. */
    static List<String> users(String prefix, int count) {
        RunningServer server = RunningServer.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String userName = prefix + "-" + run + "-" + i + "@example.com";
                ids.add(pool.submit(() -> {
                    HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"" + userName + "\"}");
                    if (created.statusCode() != 201) {
                        throw new IllegalStateException("cannot create " + userName + ": " + created.body());
                    }
                    return ScimAssertions.json(created).path("id").asText();
                }));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> id : ids) {
                out.add(id.get());
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test population", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A PATCH body adding (or removing, or replacing with) the given users. */
    static String membersPatch(String op, List<String> userIds) {
        StringBuilder body = new StringBuilder("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"" + op + "\",\"path\":\"members\",\"value\":[");
        for (int i = 0; i < userIds.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":\"").append(userIds.get(i)).append("\"}");
        }
        return body.append("]}]}").toString();
    }
}
