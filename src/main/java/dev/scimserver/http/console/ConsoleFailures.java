package dev.scimserver.http.console;

import dev.scimserver.access.AccessConflictException;
import dev.scimserver.access.AccessNotFoundException;
import dev.scimserver.access.AccessRuleException;
import dev.scimserver.access.CredentialsUnavailableException;
import dev.scimserver.directory.CommitOutcomeUnknownException;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.InvalidSearchException;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the console turns what went wrong into a page: the operator's mistake says what
 * was wrong (the messages of {@code access} and {@code directory}, which never carry a secret);
 * anything unexpected is logged with the request id and shown as that id only.
 */
final class ConsoleFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleFailures.class);

    private ConsoleFailures() {
    }

    static void answer(Context ctx, Exception failure) {
        if (failure instanceof FormInput.Refused refused) {
            Pages.error(ctx, 400, "Not accepted", refused.getMessage());
        } else if (failure instanceof AccessRuleException rule) {
            Pages.error(ctx, 400, "Not accepted", rule.getMessage());
        } else if (failure instanceof InvalidSearchException search) {
            Pages.error(ctx, 400, "Not accepted", search.getMessage());
        } else if (failure instanceof AccessNotFoundException missing) {
            Pages.error(ctx, 404, "Not found", missing.getMessage());
        } else if (failure instanceof ConsoleApp.StalePage stale) {
            Pages.error(ctx, 409, "Not possible", stale.getMessage());
        } else if (failure instanceof AccessConflictException conflict) {
            Pages.error(ctx, 409, "Not possible", conflict.getMessage());
        } else if (failure instanceof ScimException scim && scim.status() < 500) {
            Pages.error(ctx, scim.status(), scim.status() == 404 ? "Not found" : "Not accepted", scim.detail());
        } else if (failure instanceof CredentialsUnavailableException
                || failure instanceof DirectoryUnavailableException) {
            LOG.warn("request {}: {}", requestId(ctx), failure.getMessage());
            ctx.header("Retry-After", "5");
            Pages.error(ctx, 503, "Unavailable", "The database is unavailable, busy, or takes no changes for now "
                    + "(read-only, out of disk); nothing was changed. Try again in a moment.");
        } else if (failure instanceof CommitOutcomeUnknownException) {
            LOG.warn("request {}: {}", requestId(ctx), failure.getMessage());
            ctx.header("Retry-After", "5");
            Pages.error(ctx, 503, "Unavailable", "The connection to the database failed as the change was being "
                    + "saved, so it may or may not have been made: look before doing it again.");
        } else {
            LOG.error("request {} failed: {} {}", requestId(ctx), ctx.method(), ctx.path(), failure);
            Pages.error(ctx, 500, "Failed", "Something went wrong on the server; request id " + requestId(ctx) + ".");
        }
    }

    /** An error Javalin raised itself on a console path (no such page, wrong method, body too large). */
    static void answerFrameworkError(Context ctx, int status) {
        String type = ctx.res().getContentType();
        if (ctx.result() != null && type != null && type.startsWith("text/html")) {
            return;
        }
        ConsoleGate.securityHeaders(ctx);
        Pages.error(ctx, status, status == 404 ? "Not found" : "Refused", switch (status) {
            case 404 -> "There is no such page.";
            case 405 -> "This page does not take that method.";
            case 413 -> "The form sent is too large.";
            default -> "The request could not be served (" + status + ").";
        });
    }

    private static String requestId(Context ctx) {
        return ctx.res().getHeader("X-Request-Id");
    }
}
