package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.app.AdminCommandLine.Invocation;
import dev.scimserver.app.AdminCommandLine.UsageException;
import dev.scimserver.scim.CaseFold;
import dev.scimserver.scim.Names;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.scimserver.app.AdminClient.segment;

/**
 * {@code java -jar scim-server.jar admin ...}: the administration API of a running server from a
 * shell, in the way Keycloak's {@code kcadm} works. Each command is one or two requests; answers are
 * printed for a person (or as the server's JSON with {@code --json}); secrets are printed once, when
 * they are made. Exit codes: {@value #DONE} done, {@value AdminClient#REFUSED} refused by the server,
 * {@value #USAGE} wrong arguments or configuration, {@value AdminClient#UNREACHABLE} no server (or no answer
 * in time), {@value AdminClient#UNAUTHORIZED} the token was refused, {@value #OUTPUT_LOST} the answer could
 * not be written.
 */
public final class AdminCommand {
    static final int DONE = 0;
    static final int USAGE = 2;
    /** The answer could not be written; what the server did, if anything, stands. */
    static final int OUTPUT_LOST = 5;
    /** Reads and writes of the role mappings before giving up while others keep changing them. */
    private static final int MAPPING_ATTEMPTS = 5;

    @FunctionalInterface
    private interface Action {
        void run(Session session);
    }

    private record Command(String name, List<String> arguments, List<String> required, List<String> optional,
                           String help, Action action) {
        String synopsis() {
            StringBuilder synopsis = new StringBuilder(name);
            arguments.forEach(argument -> synopsis.append(' ').append(argument));
            required.forEach(option -> synopsis.append(" --").append(option).append(' ').append(placeholder(option)));
            optional.forEach(option -> synopsis.append(" [--").append(option).append(' ').append(placeholder(option))
                    .append(']'));
            return synopsis.toString();
        }

        private static String placeholder(String option) {
            return switch (option) {
                case "workspace" -> "<slug>";
                case "expires" -> "<when>";
                case "slug" -> "<new-slug>";
                default -> "<" + option + ">";
            };
        }

        Set<String> options() {
            Set<String> all = new HashSet<>(required);
            all.addAll(optional);
            return all;
        }
    }

    /** One command's run: its arguments, the client, where to print. */
    private record Session(Invocation invocation, AdminClient client, PrintStream out, Clock clock) {
        String argument(int index) {
            return invocation.arguments().get(index);
        }

        String workspace() {
            return invocation.option("workspace", "default");
        }

        String workspacePath() {
            return "/workspaces/" + segment(workspace());
        }

        /**
         * Prints the answer's JSON as the server sent it when --json asks for it, and nothing for an
         * answer without content (204: the exit code says it was done); {@code false} without --json.
         */
        boolean printedAsJson(AdminClient.Answer answer) {
            if (invocation.has("json")) {
                if (!answer.json().isMissingNode()) {
                    out.println(answer.body());
                }
                return true;
            }
            return false;
        }
    }

    private static final Map<String, Command> COMMANDS = commands();
    /** The commands whose answer is the only showing of a secret the server made. */
    private static final Set<String> SHOW_A_SECRET = Set.of("credentials create", "oauth-clients create",
            "oauth-clients add-secret");
    /** Every option some command takes: a word that is none of them may be an argument typed as one. */
    private static final Set<String> OPTIONS = COMMANDS.values().stream()
            .flatMap(command -> Stream.concat(command.required().stream(), command.optional().stream()))
            .collect(Collectors.toUnmodifiableSet());

    private AdminCommand() {
    }

    /** Runs {@code args} (what followed {@code admin}) against the server; the exit code for the process. */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return run(args, environment, out, err, Clock.systemUTC());
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err, Clock clock) {
        try {
            Invocation invocation = AdminCommandLine.parse(args, COMMANDS.keySet(), OPTIONS);
            if (invocation.has("help") || invocation.command().equals("help")) {
                printHelp(out);
                return written(out, err, false);
            }
            Command command = COMMANDS.get(invocation.command());
            if (command == null) {
                throw unknownCommand(invocation.command());
            }
            AdminCommandLine.check(invocation, command.arguments(), command.options());
            for (String option : command.required()) {
                if (!invocation.has(option)) {
                    throw new UsageException("'" + command.name() + "' needs --" + option);
                }
            }
            String token = environment.get("SCIM_ADMIN_TOKEN");
            if (token == null || token.isBlank()) {
                throw new UsageException("SCIM_ADMIN_TOKEN is not set: export the token the server was started with "
                        + "(or put it in .env in this directory)");
            }
            AdminClient client = invocation.has("url")
                    ? new AdminClient(invocation.option("url", null), "--url", token.trim())
                    : new AdminClient("http://localhost:" + port(environment), "PORT", token.trim());
            command.action().run(new Session(invocation, client, out, clock));
            return written(out, err, SHOW_A_SECRET.contains(command.name()));
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("Run 'admin --help' for the commands and their options.");
            return USAGE;
        } catch (AdminClient.Failure e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
    }

    /**
     * What to say about a command that is none: a group such as {@code workspaces}, typed alone or with
     * a word that is not one of its commands, is answered with the commands it has.
     */
    private static UsageException unknownCommand(String typed) {
        if (typed.isEmpty()) {
            return new UsageException("no command given");
        }
        String group = typed.split(" ", 2)[0];
        List<String> groupCommands = COMMANDS.keySet().stream().filter(name -> name.startsWith(group + " "))
                .map(name -> name.substring(group.length() + 1)).toList();
        if (groupCommands.isEmpty()) {
            return new UsageException("unknown command '" + typed + "'");
        }
        String known = "'" + group + "' takes one of: " + String.join(", ", groupCommands);
        return new UsageException(typed.equals(group) ? known : "unknown command '" + typed + "': " + known);
    }

    /** {@code PORT} read as the server reads it, so that both name the same port. */
    private static int port(Map<String, String> environment) {
        try {
            return Config.integer(environment, "PORT", 8080, 1, 65535);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage() + " (without --url, the server is called at "
                    + "http://localhost:$PORT)");
        }
    }

    /**
     * {@link #DONE}, or {@link #OUTPUT_LOST} when {@code out} failed: a PrintStream keeps its write errors
     * to itself, and a closed or full output, or a pipe whose reader is gone, would otherwise end in 0 with
     * a secret shown once ({@code secretShown}) shown to no one.
     */
    private static int written(PrintStream out, PrintStream err, boolean secretShown) {
        if (!out.checkError()) {
            return DONE;
        }
        err.println("error: the answer could not be written to the standard output (closed, full, or its reader "
                + "gone)" + (secretShown ? "; the server made the secret it was to show, which is now lost: revoke "
                + "it and make another" : ""));
        return OUTPUT_LOST;
    }

    private static void printHelp(PrintStream out) {
        out.println("Usage: java -jar scim-server.jar admin <command> [arguments] [options]");
        out.println();
        out.println("Calls the administration API of a running server (SCIM_ADMIN_TOKEN must be set there too).");
        out.println();
        out.println("Commands:");
        for (Command command : COMMANDS.values()) {
            out.println("  " + command.synopsis());
            out.println("      " + command.help());
        }
        out.println();
        out.println("Options:");
        out.println("  --workspace <slug>  the workspace a command other than workspaces acts on (default: default)");
        out.println("  --expires <when>    a duration from now (365d, 12h, 30m) or an RFC 3339 date-time");
        out.println("  --url <url>         the server (default: http://localhost:$PORT, PORT defaulting to 8080)");
        out.println("  --json              print the server's JSON answer as it is: one JSON document, or nothing");
        out.println("                      when the server answers without content (a delete, a revoke); roles");
        out.println("                      show prints {\"settings\": ..., \"roleMappings\": ...}");
        out.println("  -h, --help          this help");
        out.println("  --                  the end of the options: what follows is arguments, even when it begins");
        out.println("                      with - (admin roles map -- --ops builder)");
        out.println();
        out.println("Environment (also read from .env in this directory): SCIM_ADMIN_TOKEN (required), PORT.");
        out.println("Exit codes: 0 done, 1 refused by the server, 2 wrong arguments, 3 no server (or no answer in "
                + "time), 4 token refused, 5 the answer could not be written (what the server did stands).");
    }

    private static Map<String, Command> commands() {
        List<String> none = List.of();
        List<String> workspace = List.of("workspace");
        Map<String, Command> commands = new LinkedHashMap<>();
        List.of(
                new Command("workspaces list", none, none, none, "list the workspaces", AdminCommand::listWorkspaces),
                new Command("workspaces show", List.of("<slug>"), none, none, "show one workspace",
                        AdminCommand::showWorkspace),
                new Command("workspaces create", List.of("<slug>"), List.of("name"), none, "create a workspace",
                        AdminCommand::createWorkspace),
                new Command("workspaces rename", List.of("<slug>"), none, List.of("name", "slug"),
                        "give a workspace a new name, a new slug, or both", AdminCommand::renameWorkspace),
                new Command("workspaces delete", List.of("<slug>"), none, none,
                        "delete a workspace with its members, groups and credentials", AdminCommand::deleteWorkspace),
                new Command("credentials list", none, none, workspace, "list a workspace's credentials",
                        AdminCommand::listCredentials),
                new Command("credentials create", none, List.of("name"), List.of("expires", "workspace"),
                        "create an API token (printed once)", AdminCommand::createCredential),
                new Command("credentials revoke", List.of("<id>"), none, workspace, "revoke an API token",
                        session -> deleted(session, "/credentials/", "Revoked credential ")),
                new Command("oauth-clients list", none, none, workspace, "list a workspace's OAuth clients",
                        AdminCommand::listClients),
                new Command("oauth-clients create", none, List.of("name"), List.of("expires", "workspace"),
                        "register an OAuth client (its secret printed once)", AdminCommand::createClient),
                new Command("oauth-clients add-secret", List.of("<id>"), none, List.of("expires", "workspace"),
                        "give an OAuth client one more secret (printed once)", AdminCommand::addSecret),
                new Command("oauth-clients remove-secret", List.of("<id>", "<secret-id>"), none, workspace,
                        "remove one secret of an OAuth client", AdminCommand::removeSecret),
                new Command("oauth-clients delete", List.of("<id>"), none, workspace,
                        "delete an OAuth client with its secrets",
                        session -> deleted(session, "/oauth-clients/", "Deleted OAuth client ")),
                new Command("summary", none, none, workspace, "a workspace at a glance", AdminCommand::summary),
                new Command("roles show", none, none, workspace, "where the members' roles come from, and the "
                        + "groups mapped to roles", AdminCommand::showRoles),
                new Command("roles source", List.of("<attribute|groups|highest>"), none, workspace,
                        "take the roles from the attribute, the mapped groups, or the higher of the two",
                        AdminCommand::roleSource),
                new Command("roles map", List.of("<group>", "<role>"), none, workspace,
                        "map a custom group (displayName or id) to admin, builder or end-user",
                        session -> changeMappings(session, session.argument(1))),
                new Command("roles unmap", List.of("<group>"), none, workspace, "remove a group's mapping (by the name or id it was mapped with)",
                        session -> changeMappings(session, null))
        ).forEach(command -> commands.put(command.name(), command));
        return Collections.unmodifiableMap(commands);
    }

    /** {@code name} from {@code --name}, which every creation needs, with {@link #optionalExpiry}. */
    private static ObjectNode named(Session session) {
        ObjectNode body = optionalExpiry(session);
        body.put("name", session.invocation().option("name", null));
        return body;
    }

    /** {@code expiresAt} from {@code --expires}, when given. */
    private static ObjectNode optionalExpiry(Session session) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        String expiry = AdminCommandLine.expiry(session.invocation().option("expires", null), session.clock());
        if (expiry != null) {
            body.put("expiresAt", expiry);
        }
        return body;
    }

    private static void listWorkspaces(Session session) {
        AdminClient.Answer answer = session.client().get("/workspaces");
        if (!session.printedAsJson(answer)) {
            TextTable table = new TextTable("SLUG", "NAME", "DEFAULT", "CREATED", "ID");
            answer.json().path("items").forEach(workspace -> table.row(workspace.path("slug").asText(),
                    workspace.path("name").asText(), workspace.path("default").asBoolean() ? "yes" : "",
                    workspace.path("createdAt").asText(null), workspace.path("id").asText()));
            table.print(session.out());
        }
    }

    private static void showWorkspace(Session session) {
        AdminClient.Answer answer = session.client().get("/workspaces/" + segment(session.argument(0)));
        if (!session.printedAsJson(answer)) {
            printWorkspace(session.out(), answer.json());
        }
    }

    private static void createWorkspace(Session session) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("slug", session.argument(0));
        body.put("name", session.invocation().option("name", null));
        AdminClient.Answer answer = session.client().post("/workspaces", body);
        if (!session.printedAsJson(answer)) {
            session.out().println("Created workspace " + answer.json().path("slug").asText());
            printWorkspace(session.out(), answer.json());
        }
    }

    private static void renameWorkspace(Session session) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        session.invocation().options().forEach((option, value) -> {
            if (option.equals("name") || option.equals("slug")) {
                body.put(option, value);
            }
        });
        if (body.isEmpty()) {
            throw new UsageException("'workspaces rename' needs --name, --slug or both");
        }
        AdminClient.Answer answer = session.client().patch("/workspaces/" + segment(session.argument(0)), body);
        if (!session.printedAsJson(answer)) {
            session.out().println("Updated workspace " + answer.json().path("slug").asText());
            printWorkspace(session.out(), answer.json());
        }
    }

    private static void deleteWorkspace(Session session) {
        AdminClient.Answer answer = session.client().changingAWholeWorkspace()
                .delete("/workspaces/" + segment(session.argument(0)));
        if (!session.printedAsJson(answer)) {
            session.out().println("Deleted workspace " + session.argument(0) + " with its members, groups and "
                    + "credentials");
        }
    }

    private static void printWorkspace(PrintStream out, JsonNode workspace) {
        new TextTable("field", "value").row("slug", workspace.path("slug").asText())
                .row("name", workspace.path("name").asText())
                .row("id", workspace.path("id").asText())
                .row("default", workspace.path("default").asBoolean() ? "yes" : "no")
                .row("created", workspace.path("createdAt").asText(null))
                .print(out);
    }

    private static void listCredentials(Session session) {
        AdminClient.Answer answer = session.client().get(session.workspacePath() + "/credentials");
        if (!session.printedAsJson(answer)) {
            TextTable table = new TextTable("ID", "NAME", "KIND", "CREATED", "EXPIRES", "LAST USED", "REVOKED");
            answer.json().path("items").forEach(credential -> table.row(credential.path("id").asText(),
                    credential.path("name").asText(), credential.path("kind").asText()
                            + (credential.path("readOnly").asBoolean() ? " (read-only)" : ""),
                    credential.path("createdAt").asText(null), expiry(credential, session.clock(), null),
                    credential.path("lastUsedAt").asText(null), credential.path("revokedAt").asText(null)));
            table.print(session.out());
        }
    }

    /**
     * A listed token's or secret's expiry for a person: its time, marked once the time has passed (as
     * the server refuses it from then on), or {@code without} when it has none.
     */
    private static String expiry(JsonNode expiring, Clock clock, String without) {
        JsonNode expiresAt = expiring.path("expiresAt");
        if (!expiresAt.isTextual()) {
            return without;
        }
        return Instant.now(clock).isBefore(Instant.parse(expiresAt.asText())) ? expiresAt.asText()
                : "expired " + expiresAt.asText();
    }

    private static void createCredential(Session session) {
        AdminClient.Answer answer = session.client().post(session.workspacePath() + "/credentials", named(session));
        if (!session.printedAsJson(answer)) {
            JsonNode token = answer.json();
            session.out().println("Created API token '" + token.path("name").asText() + "' in workspace "
                    + session.workspace() + " (id " + token.path("id").asText() + ", expires "
                    + token.path("expiresAt").asText("never") + ").");
            session.out().println("The token, shown this once (store it now):");
            session.out().println(token.path("token").asText());
        }
    }

    private static void listClients(Session session) {
        AdminClient.Answer answer = session.client().get(session.workspacePath() + "/oauth-clients");
        if (!session.printedAsJson(answer)) {
            TextTable table = new TextTable("ID", "CLIENT ID", "NAME", "CREATED", "LAST USED", "SECRETS (id, expires)");
            answer.json().path("items").forEach(client -> {
                StringBuilder secrets = new StringBuilder();
                client.path("secrets").forEach(secret -> secrets.append(secrets.isEmpty() ? "" : "; ")
                        .append(secret.path("id").asText()).append(", ")
                        .append(expiry(secret, session.clock(), "never")));
                table.row(client.path("id").asText(), client.path("clientId").asText(), client.path("name").asText(),
                        client.path("createdAt").asText(null), client.path("lastUsedAt").asText(null), secrets.toString());
            });
            table.print(session.out());
        }
    }

    private static void createClient(Session session) {
        AdminClient.Answer answer = session.client().post(session.workspacePath() + "/oauth-clients", named(session));
        if (!session.printedAsJson(answer)) {
            JsonNode client = answer.json();
            session.out().println("Registered OAuth client '" + client.path("name").asText() + "' in workspace "
                    + session.workspace() + " (id " + client.path("id").asText() + ").");
            session.out().println("client_id:     " + client.path("clientId").asText());
            session.out().println("client_secret: " + client.path("clientSecret").asText() + "  (shown this once; "
                    + "store it now)");
        }
    }

    private static void addSecret(Session session) {
        AdminClient.Answer answer = session.client().post(session.workspacePath() + "/oauth-clients/"
                + segment(session.argument(0)) + "/secrets", optionalExpiry(session));
        if (!session.printedAsJson(answer)) {
            session.out().println("Added secret " + answer.json().path("id").asText() + " (expires "
                    + answer.json().path("expiresAt").asText("never") + "); the client's other secrets stay valid.");
            session.out().println("client_secret: " + answer.json().path("clientSecret").asText()
                    + "  (shown this once; store it now)");
        }
    }

    private static void removeSecret(Session session) {
        AdminClient.Answer answer = session.client().delete(session.workspacePath() + "/oauth-clients/"
                + segment(session.argument(0)) + "/secrets/" + segment(session.argument(1)));
        if (!session.printedAsJson(answer)) {
            session.out().println("Removed secret " + session.argument(1) + " of OAuth client " + session.argument(0));
        }
    }

    private static void deleted(Session session, String collection, String done) {
        AdminClient.Answer answer = session.client().delete(session.workspacePath() + collection
                + segment(session.argument(0)));
        if (!session.printedAsJson(answer)) {
            session.out().println(done + session.argument(0) + " of workspace " + session.workspace());
        }
    }

    private static void showRoles(Session session) {
        AdminClient.Answer source = session.client().get(session.workspacePath() + "/settings");
        AdminClient.Answer mappings = session.client().get(session.workspacePath() + "/role-mappings");
        if (session.invocation().has("json")) {
            ObjectNode both = JsonNodeFactory.instance.objectNode();
            both.set("settings", source.json());
            both.set("roleMappings", mappings.json());
            session.out().println(both);
            return;
        }
        printRoles(session, source.json(), mappings.json());
    }

    private static void roleSource(Session session) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("roleSource", session.argument(0));
        AdminClient.Answer answer = session.client().changingAWholeWorkspace()
                .put(session.workspacePath() + "/settings", body);
        if (!session.printedAsJson(answer)) {
            session.out().println("Roles in workspace " + session.workspace() + " now come from: "
                    + answer.json().path("roleSource").asText() + " (every member's role recomputed)");
        }
    }

    /**
     * Reads the mappings, replaces or removes the group's (any case), puts them back on the condition
     * that nobody changed them in between, and reads again when somebody did; {@code role} null removes.
     */
    private static void changeMappings(Session session, String role) {
        String group = session.argument(0);
        // The group as the server compares mapped groups: trimmed, in NFC, case folded per code point.
        String key = CaseFold.of(Names.canonical(group));
        String path = session.workspacePath() + "/role-mappings";
        for (int attempt = 1; ; attempt++) {
            AdminClient.Answer read = session.client().get(path);
            ArrayNode mappings = JsonNodeFactory.instance.arrayNode();
            for (JsonNode mapping : read.json()) {
                if (!CaseFold.of(mapping.path("group").asText()).equals(key)) {
                    mappings.add(mapping);
                }
            }
            if (role == null && mappings.size() == read.json().size()) {
                throw new AdminClient.Failure(AdminClient.REFUSED, "no mapping for the group '" + group + "' exists "
                        + "in workspace " + session.workspace() + ": a group mapped by its id is unmapped by its id "
                        + "('roles show' lists the mappings as they were made)");
            }
            if (role != null) {
                mappings.addObject().put("group", group).put("role", role);
            }
            AdminClient.Answer answer;
            try {
                answer = session.client().changingAWholeWorkspace().put(path, mappings, strong(read.entityTag()));
            } catch (AdminClient.StaleRead changedMeanwhile) {
                if (attempt == MAPPING_ATTEMPTS) {
                    throw changedMeanwhile;
                }
                continue;
            }
            if (!session.printedAsJson(answer)) {
                printRoles(session, session.client().get(session.workspacePath() + "/settings").json(), answer.json());
            }
            return;
        }
    }

    /**
     * The mappings' tag as the server made it: a proxy that compresses answers (nginx's gzip) marks
     * strong tags weak, and If-Match never matches a weak one. The server's tags are digests of the
     * list, the same whatever the encoding, so the mark is the proxy's, not the server's.
     */
    private static String strong(String entityTag) {
        return entityTag != null && entityTag.startsWith("W/") ? entityTag.substring(2) : entityTag;
    }

    private static void printRoles(Session session, JsonNode settings, JsonNode mappings) {
        session.out().println("Roles in workspace " + session.workspace() + " come from: "
                + settings.path("roleSource").asText());
        TextTable table = new TextTable("GROUP", "ROLE");
        mappings.forEach(mapping -> table.row(mapping.path("group").asText(), mapping.path("role").asText()));
        table.print(session.out());
    }

    private static void summary(Session session) {
        AdminClient.Answer answer = session.client().get(session.workspacePath() + "/summary");
        if (session.printedAsJson(answer)) {
            return;
        }
        JsonNode summary = answer.json();
        JsonNode roles = summary.path("activeMembersPerRole");
        PrintStream out = session.out();
        out.println("Workspace " + summary.path("workspace").path("slug").asText() + " ("
                + summary.path("workspace").path("name").asText() + ")");
        out.println("  members:       " + summary.path("members").path("active").asLong() + " active, "
                + summary.path("members").path("archived").asLong() + " archived");
        out.println("  active roles:  " + roles.path("admin").asLong() + " admin, " + roles.path("builder").asLong()
                + " builder, " + roles.path("end-user").asLong() + " end-user");
        out.println("  custom groups: " + summary.path("groups").path("custom").asLong());
        out.println("  last change:   " + summary.path("lastChangeAt").asText("never"));
        out.println();
        TextTable table = new TextTable("CREDENTIAL", "KIND", "ID", "LAST REQUEST");
        summary.path("credentials").forEach(credential -> table.row(credential.path("name").asText(),
                credential.path("kind").asText(), credential.path("id").asText(),
                credential.path("lastUsedAt").asText("never")));
        table.print(out);
    }
}
