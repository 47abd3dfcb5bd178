package dev.scimserver.http.console;

import dev.scimserver.access.AdminToken;
import dev.scimserver.access.RequestThrottle;
import dev.scimserver.access.TrustedProxies;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Signing in with the admin token, and out. A wrong token spends an attempt of the same
 * failed-authentication budget as the SCIM and administration APIs; an address out of attempts is
 * answered 429 without its token being checked. The sign-in form, which has no session yet, carries a
 * token of its own that must match a cookie set with the form (a site that cannot read our cookies
 * cannot sign a browser in under its own token).
 */
final class SignInPages {
    static final String LOGIN_COOKIE = "scim_console_login";
    private static final int LOGIN_FORM_SECONDS = 900;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What {@link #showForm} makes: 24 random bytes in unpadded base64url. */
    private static final Pattern FORM_TOKEN = Pattern.compile("[A-Za-z0-9_-]{32}");

    /** The sign-in page: the form's own token, and what went wrong with the last try ({@code null}: nothing). */
    record LoginView(Pages.Frame frame, String formToken, String problem) {
    }

    private final ConsoleGate gate;
    private final ConsoleSessions sessions;
    private final AdminToken token;
    private final RequestThrottle throttle;
    private final TrustedProxies trustedProxies;

    SignInPages(ConsoleGate gate, ConsoleSessions sessions, AdminToken token, RequestThrottle throttle,
                TrustedProxies trustedProxies) {
        this.gate = gate;
        this.sessions = sessions;
        this.token = token;
        this.throttle = throttle;
        this.trustedProxies = trustedProxies;
    }

    void form(Context ctx) {
        if (sessions.find(ctx.cookie(ConsoleGate.COOKIE)).isPresent()) {
            ctx.redirect(ConsoleApp.WORKSPACES_PATH, HttpStatus.SEE_OTHER);
            return;
        }
        showForm(ctx, 200, null);
    }

    void signIn(Context ctx) {
        String expected = ctx.cookie(LOGIN_COOKIE);
        if (!gate.sameOrigin(ctx) || expected == null || !ConsoleGate.sameToken(ctx.formParam("form"), expected)) {
            Pages.error(ctx, 403, "Refused", "This sign-in was not sent by this console's page: open the sign-in page "
                    + "again.");
            return;
        }
        String presented = ctx.formParam("token");
        if (presented == null || presented.isBlank()) {
            // Nothing presented guesses nothing, so it spends no attempt.
            showForm(ctx, 401, "Enter the administrator token (SCIM_ADMIN_TOKEN).");
            return;
        }
        InetAddress client = trustedProxies.clientAddress(ctx.req().getRemoteAddr(),
                Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
        RequestThrottle.Verdict<Boolean> verdict = throttle.authenticate(client, presented.trim(),
                typed -> token.matches(typed) ? Optional.of(Boolean.TRUE) : Optional.empty());
        if (verdict.throttled()) {
            ctx.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
            showForm(ctx, 429, "Too many failed sign-ins from this address: try again in "
                    + verdict.retryAfterSeconds() + " s.");
            return;
        }
        if (verdict.who().isEmpty()) {
            showForm(ctx, 401, "That is not the administrator token.");
            return;
        }
        // A new session id at every sign-in: an id planted before it is worth nothing after.
        sessions.close(ctx.cookie(ConsoleGate.COOKIE));
        gate.startSession(ctx, sessions.open());
        ctx.res().addHeader("Set-Cookie", gate.cookie(ctx, LOGIN_COOKIE, "", 0));
        ctx.redirect(ConsoleApp.WORKSPACES_PATH, HttpStatus.SEE_OTHER);
    }

    void signOut(Context ctx) {
        gate.endSession(ctx);
        ctx.redirect(ConsoleApp.LOGIN_PATH, HttpStatus.SEE_OTHER);
    }

    private void showForm(Context ctx, int status, String problem) {
        // The browser's current form token is kept when it has one: each sign-in page loaded in another
        // tab (every tab falls back to it when a session ends) would otherwise replace the one cookie,
        // and only the tab loaded last could sign in.
        String formToken = ctx.cookie(LOGIN_COOKIE);
        if (formToken == null || !FORM_TOKEN.matcher(formToken).matches()) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            formToken = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        ctx.res().addHeader("Set-Cookie", gate.cookie(ctx, LOGIN_COOKIE, formToken, LOGIN_FORM_SECONDS));
        Pages.render(ctx, status, "login.jte", new LoginView(
                new Pages.Frame("Sign in", null, null, List.of()), formToken, problem));
    }
}
