package dev.scimserver.store;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;

import javax.sql.DataSource;

/** How every store of this package reaches the database through Jdbi. */
final class Statements {
    private Statements() {
    }

    /**
     * Jdbi on {@code dataSource}, whose failed statements name the statement but never its
     * arguments: Jdbi's default renders them, and they are users' names and emails, a credential's
     * digest or a signing key, which a 500's log line must never carry.
     */
    static Jdbi jdbi(DataSource dataSource) {
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Statements::withoutArguments);
        return jdbi;
    }

    private static String withoutArguments(StatementException e) {
        StatementContext context = e.getStatementContext();
        return context == null ? e.getShortMessage()
                : e.getShortMessage() + " [statement: \"" + context.getRenderedSql() + "\"]";
    }
}
