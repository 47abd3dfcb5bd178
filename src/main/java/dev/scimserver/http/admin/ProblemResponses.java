package dev.scimserver.http.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.access.AccessConflictException;
import dev.scimserver.access.AccessNotFoundException;
import dev.scimserver.access.AccessRuleException;
import dev.scimserver.access.CredentialsUnavailableException;
import dev.scimserver.activity.InvalidLogQueryException;
import dev.scimserver.directory.CommitOutcomeUnknownException;
import dev.scimserver.directory.DirectoryUnavailableException;
import dev.scimserver.directory.InvalidSearchException;
import dev.scimserver.events.EventConflictException;
import dev.scimserver.events.EventNotFoundException;
import dev.scimserver.events.EventRuleException;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the administration API turns what went wrong into an answer: an RFC 9457
 * problem ({@code type}, {@code title}, {@code status}, {@code detail}, and {@code field} when one
 * input is at fault). A client's mistake says what was wrong; anything unexpected is logged with the
 * request id and answered 500 with that id only.
 */
final class ProblemResponses {
    static final String CONTENT_TYPE = "application/problem+json";
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private ProblemResponses() {
    }

    /** Answers {@code failure}, whatever it is. */
    static void answer(Context ctx, Exception failure) {
        if (failure instanceof Problem problem) {
            write(ctx, problem.status(), problem.field(), problem.detail());
        } else if (failure instanceof InvalidLogQueryException query) {
            write(ctx, 400, query.parameter(), query.getMessage());
        } else if (failure instanceof InvalidSearchException search) {
            write(ctx, 400, search.parameter(), search.getMessage());
        } else if (failure instanceof AccessRuleException rule) {
            write(ctx, 400, rule.field(), rule.getMessage());
        } else if (failure instanceof ScimException refused && refused.status() < 500) {
            // A directory rule the change breaks (a role mapping, the last active admin).
            write(ctx, refused.status(), null, refused.getMessage());
        } else if (failure instanceof EventRuleException rule) {
            write(ctx, 400, rule.field(), rule.getMessage());
        } else if (failure instanceof EventNotFoundException missing) {
            write(ctx, 404, null, missing.getMessage());
        } else if (failure instanceof EventConflictException conflict) {
            write(ctx, 409, null, conflict.getMessage());
        } else if (failure instanceof AccessNotFoundException missing) {
            write(ctx, 404, null, missing.getMessage());
        } else if (failure instanceof AccessConflictException conflict) {
            write(ctx, 409, null, conflict.getMessage());
        } else if (failure instanceof CredentialsUnavailableException
                || failure instanceof DirectoryUnavailableException) {
            LOG.warn("request {}: {}", requestId(ctx), failure.getMessage());
            ctx.header("Retry-After", "5");
            write(ctx, 503, null, "the database is unavailable, takes no writes for now (read-only, out of disk), "
                    + "every connection to it is busy, or a statement ran too long and was cancelled; the change was "
                    + "not made, retry later");
        } else if (failure instanceof CommitOutcomeUnknownException) {
            LOG.warn("request {}: {}", requestId(ctx), failure.getMessage());
            ctx.header("Retry-After", "5");
            write(ctx, 503, null, CommitOutcomeUnknownException.ADVICE);
        } else if (failure instanceof HttpResponseException framework) {
            answerFrameworkError(ctx, framework.getStatus());
        } else {
            LOG.error("request {} failed: {} {}", requestId(ctx), ctx.method(), ctx.path(), failure);
            write(ctx, 500, null, "internal server error; request id " + requestId(ctx));
        }
    }

    /** An error Javalin raised itself (no such route, wrong method, body too large), unless already answered. */
    static void answerFrameworkError(Context ctx, int status) {
        String type = ctx.res().getContentType();
        if (ctx.result() != null && type != null && type.startsWith(CONTENT_TYPE)) {
            return;
        }
        write(ctx, status, null, switch (status) {
            case 404 -> "no such administration endpoint";
            case 405 -> "method not allowed on this administration endpoint";
            case 413 -> "the request body is too large";
            default -> "the request could not be served (" + status + ")";
        });
    }

    static void write(Context ctx, int status, String field, String detail) {
        AdminJson.write(ctx, status, CONTENT_TYPE, problem(status, field, detail));
    }

    /** The problem as bytes, for an answer written outside any route (the server's own refusals). */
    static ScimApi.ErrorBody body(int status, String detail) {
        try {
            return new ScimApi.ErrorBody(CONTENT_TYPE, AdminJson.MAPPER.writeValueAsBytes(problem(status, null, detail)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a problem", e);
        }
    }

    private static ObjectNode problem(int status, String field, String detail) {
        ObjectNode problem = AdminJson.object();
        problem.put("type", "about:blank");
        problem.put("title", HttpStatus.forStatus(status).getMessage());
        problem.put("status", status);
        problem.put("detail", detail);
        if (field != null) {
            problem.put("field", field);
        }
        return problem;
    }

    static String requestId(Context ctx) {
        return ctx.res().getHeader(REQUEST_ID_HEADER);
    }
}
