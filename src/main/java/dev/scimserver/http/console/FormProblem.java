package dev.scimserver.http.console;

import dev.scimserver.access.AccessConflictException;
import dev.scimserver.access.AccessRuleException;
import io.javalin.http.Context;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a form of the console was refused for, shown on the form's own page: the reason beside the
 * field at fault ({@code aria-invalid}, and the reason among its descriptions) and what the operator
 * typed still in the form. {@link #NONE} on a page shown without a refusal, so that a template asks
 * without checking for null. {@code form} names one form of the page, {@code field} one of its inputs
 * by the name it is sent under.
 */
record FormProblem(String form, String field, String message, int status, Map<String, String> typed) {
    static final FormProblem NONE = new FormProblem("", "", null, 200, Map.of());

    /**
     * The refusal of {@code failure} at {@code form}, when it is one a form can cause: a rule of a
     * workspace or credential broken (400), a conflict with what exists (409), a field the console could
     * not read (400). Its field is the one the failure names, else {@code otherwise}. Anything else is
     * thrown again, for the error page.
     */
    static FormProblem of(String form, RuntimeException failure, String otherwise, Map<String, String> typed) {
        if (failure instanceof AccessRuleException rule) {
            return new FormProblem(form, Objects.requireNonNullElse(rule.field(), otherwise), rule.getMessage(), 400,
                    typed);
        }
        if (failure instanceof FormInput.Refused refused) {
            return new FormProblem(form, Objects.requireNonNullElse(refused.field(), otherwise), refused.getMessage(),
                    400, typed);
        }
        if (failure instanceof AccessConflictException conflict) {
            return new FormProblem(form, otherwise, conflict.getMessage(), 409, typed);
        }
        throw failure;
    }

    /** What the form sent under these names, as typed (absent ones left out), to show it again. */
    static Map<String, String> typed(Context ctx, String... fields) {
        Map<String, String> typed = new HashMap<>();
        for (String field : fields) {
            String value = ctx.formParam(field);
            if (value != null) {
                typed.put(field, value);
            }
        }
        return Map.copyOf(typed);
    }

    /** The reason, when {@code form} is the one refused. */
    String at(String form) {
        return this.form.equals(form) ? message : null;
    }

    /** {@code "true"} on the field refused, else null: jte then writes no {@code aria-invalid}. */
    String invalid(String form, String field) {
        return isAt(form, field) ? "true" : null;
    }

    /**
     * The field's {@code aria-describedby}: its own description ({@code help}, may be null) and, on the
     * field refused, the element {@code reasonId} that holds the reason. Null when there is neither.
     */
    String describedBy(String form, String field, String help, String reasonId) {
        if (!isAt(form, field)) {
            return help;
        }
        return help == null ? reasonId : help + " " + reasonId;
    }

    /** What the operator typed into the field of the form refused, else {@code shown}. */
    String typed(String form, String field, String shown) {
        return this.form.equals(form) ? typed.getOrDefault(field, shown) : shown;
    }

    private boolean isAt(String form, String field) {
        return message != null && this.form.equals(form) && Objects.equals(this.field, field);
    }
}
