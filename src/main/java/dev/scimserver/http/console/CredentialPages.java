package dev.scimserver.http.console;

import dev.scimserver.access.AuthorizationServerUrls;
import dev.scimserver.access.ClientSecret;
import dev.scimserver.access.NewApiToken;
import dev.scimserver.access.NewClientSecret;
import dev.scimserver.access.NewOAuthClient;
import dev.scimserver.access.OAuthClient;
import dev.scimserver.access.Workspace;
import dev.scimserver.access.WorkspaceCredential;
import dev.scimserver.access.WorkspaceCredentials;
import dev.scimserver.access.WorkspaceOAuthClients;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A workspace's API tokens and OAuth clients: created, rotated (a new secret beside the old, so the IdP
 * moves over without a gap), revoked; and the values to paste into Okta or Entra. A secret is shown
 * on the page that answers its creation and never again: that page is the POST's own answer, never
 * stored, never redirected to, and not kept by the browser (no-store).
 */
final class CredentialPages {
    /** What an IdP's SCIM settings ask for. */
    record PasteValues(String scimBaseUrl, String tokenEndpoint) {
    }

    record ClientView(OAuthClient client, List<ClientSecret> secrets) {
        /** The lifetime in days of the client's newest secret, offered for the next one; empty for none. */
        String lifetimeDays() {
            return secrets.stream().max(Comparator.comparing(ClientSecret::createdAt))
                    .map(secret -> Show.lifetimeDays(secret.createdAt(), secret.expiresAt())).orElse("");
        }
    }

    /**
     * {@code now} tells an expired token from an active one; {@code problem}: of the form {@code token} (a new
     * API token) or {@code client} (a new OAuth client).
     */
    record ListView(Pages.Frame frame, List<WorkspaceCredential> tokens, List<ClientView> clients, PasteValues paste,
                    Instant now, FormProblem problem) {
    }

    /** A secret just made: {@code clientId} is {@code null} for an API token. */
    record SecretView(Pages.Frame frame, String heading, String name, String secret, String clientId,
                      PasteValues paste, String advice) {
    }

    private final ConsoleGate gate;
    private final WorkspaceCredentials credentials;
    private final WorkspaceOAuthClients clients;
    private final Clock clock;

    CredentialPages(ConsoleGate gate, WorkspaceCredentials credentials, WorkspaceOAuthClients clients, Clock clock) {
        this.gate = gate;
        this.credentials = credentials;
        this.clients = clients;
        this.clock = clock;
    }

    void addTo(RoutesConfig routes, ConsoleApp app) {
        String tokens = ConsoleApp.WORKSPACE_PATH + "/credentials";
        String oauth = ConsoleApp.WORKSPACE_PATH + "/oauth-clients";
        routes.get(tokens, ConsoleApp.answering(ctx -> list(ctx, app.workspace(ctx))));
        routes.post(tokens, ConsoleApp.answering(ctx -> createToken(ctx, app.workspace(ctx))));
        routes.post(tokens + "/{id}/rotate", ConsoleApp.answering(ctx -> rotateToken(ctx, app.workspace(ctx))));
        routes.post(tokens + "/{id}/revoke", ConsoleApp.answering(ctx -> {
            Workspace workspace = app.workspace(ctx);
            credentials.revoke(workspace, ctx.pathParam("id"), ConsoleApp.origin(ctx));
            backToList(ctx, workspace);
        }));
        routes.post(oauth, ConsoleApp.answering(ctx -> registerClient(ctx, app.workspace(ctx))));
        routes.post(oauth + "/{id}/secrets", ConsoleApp.answering(ctx -> addSecret(ctx, app.workspace(ctx))));
        routes.post(oauth + "/{id}/secrets/{secretId}/remove", ConsoleApp.answering(ctx -> {
            Workspace workspace = app.workspace(ctx);
            clients.removeSecret(workspace, ctx.pathParam("id"), ctx.pathParam("secretId"), ConsoleApp.origin(ctx));
            backToList(ctx, workspace);
        }));
        routes.post(oauth + "/{id}/delete", ConsoleApp.answering(ctx -> {
            Workspace workspace = app.workspace(ctx);
            clients.delete(workspace, ctx.pathParam("id"), ConsoleApp.origin(ctx));
            backToList(ctx, workspace);
        }));
    }

    private void list(Context ctx, Workspace workspace) {
        list(ctx, workspace, FormProblem.NONE);
    }

    private void list(Context ctx, Workspace workspace, FormProblem problem) {
        List<ClientView> registered = clients.list(workspace).stream()
                .map(client -> new ClientView(client, clients.secrets(client))).toList();
        Pages.render(ctx, problem.status(), "credentials.jte", new ListView(frame(ctx, "Credentials", workspace),
                credentials.list(workspace), registered, paste(ctx), clock.instant(), problem));
    }

    /**
     * What {@code make} makes of the form's name and expiry; refused, the credentials page again with the
     * reason at the field of the form {@code form}, and null.
     */
    private <T> T madeOrRefused(Context ctx, Workspace workspace, String form, BiFunction<String, Instant, T> make) {
        try {
            return make.apply(ctx.formParam("name"), FormInput.expiry(ctx, clock.instant()));
        } catch (RuntimeException refused) {
            list(ctx, workspace, FormProblem.of(form, refused, "name",
                    FormProblem.typed(ctx, "name", "expiresInDays")));
            return null;
        }
    }

    private void createToken(Context ctx, Workspace workspace) {
        NewApiToken created = madeOrRefused(ctx, workspace, "token",
                (name, expiry) -> credentials.create(workspace, name, expiry, ConsoleApp.origin(ctx)));
        if (created != null) {
            showToken(ctx, workspace, "API token created", created);
        }
    }

    /** The next token under the same name; the old one works until it is revoked, once the IdP uses the new one. */
    private void rotateToken(Context ctx, Workspace workspace) {
        NewApiToken created = credentials.rotate(workspace, ctx.pathParam("id"), FormInput.expiry(ctx, clock.instant()),
                ConsoleApp.origin(ctx));
        showToken(ctx, workspace, "API token rotated", created);
    }

    private void showToken(Context ctx, Workspace workspace, String heading, NewApiToken created) {
        Pages.render(ctx, 201, "secret.jte", new SecretView(frame(ctx, heading, workspace), heading,
                created.token().name(), created.secret(), null, paste(ctx),
                "Paste it into the identity provider as its bearer token (Okta: \"API Token\"; Entra: \"Secret "
                        + "Token\"). Once the provider works with it, revoke the token it replaces."));
    }

    private void registerClient(Context ctx, Workspace workspace) {
        NewOAuthClient registered = madeOrRefused(ctx, workspace, "client",
                (name, expiry) -> clients.register(workspace, name, expiry, ConsoleApp.origin(ctx)));
        if (registered == null) {
            return;
        }
        Pages.render(ctx, 201, "secret.jte", new SecretView(frame(ctx, "OAuth client registered", workspace),
                "OAuth client registered", registered.client().name(), registered.secret().value(),
                registered.client().clientId(), paste(ctx),
                "Give the identity provider the client id, this secret and the token endpoint (client credentials)."));
    }

    private void addSecret(Context ctx, Workspace workspace) {
        String clientId = ctx.pathParam("id");
        NewClientSecret added = clients.addSecret(workspace, clientId, FormInput.expiry(ctx, clock.instant()),
                ConsoleApp.origin(ctx));
        // Found by the row id the secret names; a client deleted meanwhile leaves the secret without a name.
        OAuthClient client = clients.list(workspace).stream().filter(c -> c.id().equals(added.secret().client()))
                .findFirst().orElse(null);
        Pages.render(ctx, 201, "secret.jte", new SecretView(frame(ctx, "Client secret added", workspace),
                "Client secret added", client == null ? clientId : client.name(), added.value(),
                client == null ? null : client.clientId(), paste(ctx),
                "The client's other secrets keep working: once the provider uses this one, remove the old one."));
    }

    private PasteValues paste(Context ctx) {
        AuthorizationServerUrls urls = gate.urls(ctx);
        return new PasteValues(urls.scimBaseUrl(), urls.tokenEndpoint());
    }

    private static Pages.Frame frame(Context ctx, String title, Workspace workspace) {
        return Pages.frame(ctx, title, workspace, Pages.Section.CREDENTIALS);
    }

    private static void backToList(Context ctx, Workspace workspace) {
        ctx.redirect(Pages.workspacePath(workspace) + "/credentials", HttpStatus.SEE_OTHER);
    }
}
