package dev.scimserver.http.admin;

import io.javalin.http.Context;

import java.util.Set;

/** The query parameters a list of the administration API takes: any other, or one given twice, is a 400 naming it. */
final class QueryParameters {
    private QueryParameters() {
    }

    /** {@code known}: the parameters taken; {@code listed}: the clause that names them in the refusal. */
    static void check(Context ctx, Set<String> known, String listed) {
        for (String parameter : ctx.queryParamMap().keySet()) {
            if (!known.contains(parameter)) {
                throw Problem.badField(parameter, "unknown parameter '" + parameter + "'; " + listed);
            }
            if (ctx.queryParams(parameter).size() > 1) {
                throw Problem.badField(parameter, parameter + " is given more than once");
            }
        }
    }
}
