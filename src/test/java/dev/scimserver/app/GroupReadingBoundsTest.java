package dev.scimserver.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.scimserver.http.scim.ScimApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reading large groups may hold: not a database connection while a client reads slowly, and
 * not a page's members in memory. Each test has a server process of its own on the shared database
 * (a small pool, a small heap), reading groups of 20,000 members whose display names are long
 * enough that one group's JSON overflows every socket buffer between the server and a client that
 * stops reading. The members are inserted with SQL, as a directory sync would have left them.
 */
@Tag("slow")
class GroupReadingBoundsTest {
    private static final int MEMBERS = 20_000;
    private static final int LISTED_GROUPS = 5;
    private static final RunningServer server = RunningServer.shared();
    private static final String TAG = "bounds" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<String> groupIds = new ArrayList<>();

    @BeforeAll
    static void largeGroups() throws SQLException {
        for (int g = 0; g <= LISTED_GROUPS; g++) {
            HttpResponse<String> group = server.send("POST", "/Groups", "{\"displayName\":\"" + TAG + "-" + g + "\"}");
            assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
            groupIds.add(json(group).path("id").asText());
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
            c.setAutoCommit(false);
            try (PreparedStatement people = c.prepareStatement("CREATE TEMP TABLE bounds_people ON COMMIT DROP AS "
                    + "SELECT n, gen_random_uuid() AS id FROM generate_series(1, " + MEMBERS + ") n");
                 PreparedStatement users = c.prepareStatement("INSERT INTO users (id, created_at, updated_at) "
                         + "SELECT id, now(), now() FROM bounds_people");
                 PreparedStatement members = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id, "
                         + "user_name, display_name, role, status, created_at, last_modified) SELECT w.id, p.id, "
                         + "? || p.n, ? || p.n || repeat('x', 300), 'end-user', 'active', now(), now() "
                         + "FROM bounds_people p, workspaces w WHERE w.is_default");
                 PreparedStatement join = c.prepareStatement("INSERT INTO group_members (group_id, workspace_id, "
                         + "user_id) SELECT g, w.id, p.id FROM bounds_people p, workspaces w, unnest(?) AS g "
                         + "WHERE w.is_default")) {
                people.execute();
                users.execute();
                members.setString(1, TAG + "-user-");
                members.setString(2, TAG + "-display-");
                members.execute();
                join.setArray(1, c.createArrayOf("uuid", groupIds.stream().map(UUID::fromString).toArray()));
                join.execute();
            }
            c.commit();
        }
    }

    @AfterAll
    static void removeThem() throws SQLException {
        groupIds.forEach(id -> server.send("DELETE", "/Groups/" + id, null));
        try (Connection c = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement members = c.prepareStatement("DELETE FROM workspace_members WHERE user_name LIKE ?");
             PreparedStatement users = c.prepareStatement("DELETE FROM users u WHERE NOT EXISTS "
                     + "(SELECT 1 FROM workspace_members m WHERE m.user_id = u.id) AND u.email IS NULL")) {
            members.setString(1, TAG + "-user-%");
            members.execute();
            users.execute();
        }
    }

    /**
     * Twice as many clients as the pool has connections ask for a large group (by id, and in a list)
     * and stop reading after the status line. Requests after them are still served: a client that
     * stalls holds no connection.
     */
    @Test
    void slowReadersBeyondThePoolSizeDoNotStopOtherRequests() throws IOException {
        try (ServerProcess process = ServerProcess.start(Map.of("DATABASE_POOL_SIZE", "2"))) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (String target : List.of("/Groups/" + groupIds.get(0), "/Groups?filter=" + named(1),
                        "/Groups/" + groupIds.get(2), "/Groups?filter=" + named(3))) {
                    stalled.add(stalledReader(process.port(), target));
                }
                String probe = process.baseUrl();
                HttpResponse<String> users = server.send("GET", probe + "/Users?count=1", null);
                assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
                HttpResponse<String> group = server.send("GET", probe + "/Groups/" + groupIds.get(4)
                        + "?excludedAttributes=members", null);
                assertThat(group.statusCode()).as(group.body()).isEqualTo(200);
                HttpResponse<String> list = server.send("GET", probe + "/Groups?attributes=displayName&filter="
                        + named(5), null);
                assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
            }
        }
    }

    private static String named(int group) {
        return ScimValues.enc("displayName eq \"" + TAG + "-" + group + "\"");
    }

    /**
     * Sends a GET, reads the status line, and reads no more. The receive buffer is kept small, so the
     * server soon has nowhere to put the rest of the answer.
     */
    private static Socket stalledReader(int port, String target) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("localhost", port), 5_000);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + ScimApi.BASE_PATH + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + RunningServer.TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertThat(status).as("the status line of GET %s", target).isEqualTo("HTTP/1.1 200");
        return socket;
    }

    /**
     * Okta's {@code GET /Groups?filter=displayName eq …} returns members by default: a page of five
     * groups of 20,000 members each is answered whole by a server whose heap could not hold their
     * members at once.
     */
    @Test
    void aListPageOfLargeGroupsIsAnsweredWithoutHoldingItsMembers() throws IOException, InterruptedException {
        try (ServerProcess process = ServerProcess.start(Map.of(), "64m")) {
            String filter = ScimValues.enc("displayName sw \"" + TAG + "-\" and displayName ne \"" + TAG + "-0\"");
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(process.baseUrl() + "/Groups?filter=" + filter + "&sortBy=displayName"))
                    .header("Authorization", server.bearerAuthorization()).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(membersPerResource(response.body())).hasSize(LISTED_GROUPS).containsOnly(MEMBERS);
        }
    }

    /** The number of members of each resource of a ListResponse, read as a stream of tokens. */
    private static List<Integer> membersPerResource(InputStream body) throws IOException {
        List<Integer> counts = new ArrayList<>();
        try (InputStream in = body; JsonParser parser = new JsonFactory().createParser(in)) {
            int depth = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && depth == 3 && parser.currentName().equals("members")) {
                    parser.nextToken();
                    int members = 0;
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        parser.skipChildren();
                        members++;
                    }
                    counts.add(members);
                } else if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
            }
        }
        return counts;
    }
}
