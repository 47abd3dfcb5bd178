package dev.scimserver.store;

import dev.scimserver.scim.ScimException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.util.function.Supplier;

/**
 * The unique indexes the database enforces, reported as the 409 the client caused: naming the
 * attribute by the index that refused it, never the value.
 */
final class UniqueViolations {
    private static final String UNIQUE_VIOLATION = "23505";

    private UniqueViolations() {
    }

    /** Runs {@code write}; a unique violation it meets, of a statement or of a batch, becomes the 409. */
    static <T> T uniquely(Supplier<T> write) {
        try {
            return write.get();
        } catch (UnableToExecuteStatementException e) {
            // The server's own report: a batch throws one without it, and chains the statement's.
            PSQLException violation = SqlFaults.find(e, PSQLException.class, UNIQUE_VIOLATION::equals)
                    .orElseThrow(() -> e);
            ServerErrorMessage report = violation.getServerErrorMessage();
            String constraint = report == null ? "" : String.valueOf(report.getConstraint());
            throw ScimException.uniqueness(switch (constraint) {
                case "workspace_members_user_name_unique" -> "userName is already taken in the workspace";
                case "users_email_unique" -> "the email is already used by another user";
                case "groups_name_unique" -> "displayName is already taken by another group in the workspace";
                default -> "the resource conflicts with an existing one";
            });
        }
    }
}
