package dev.scimserver.store;

import dev.scimserver.directory.Actor;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

import java.sql.PreparedStatement;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Who changes what, told to the change journal's triggers as settings local to the transaction. They
 * go with the transaction's first statement: folded into it where that statement is the read a write
 * starts from (its workspace's role policy, a group it locks), else as a statement of their own just
 * before it; a transaction that runs no statement sends none. With them goes the transaction's commit
 * key (V32), by which its journal rows are found when the answer to its COMMIT was lost.
 */
final class JournalSettings {
    /** Binds {@code :credential}, {@code :requestId}, {@code :request} and {@code :commitKey}. */
    private static final String SET_CONFIG = "set_config('scim.credential', :credential, true) || "
            + "set_config('scim.request_id', :requestId, true) || set_config('scim.request', :request, true) || "
            + "set_config('scim.commit_key', :commitKey, true)";

    /** An actor to tell the triggers of, with the key of the transaction it acts in. */
    record Told(Actor actor, UUID commitKey) {
    }

    private final Handle handle;
    /** What is not yet told to the triggers; null once told, or when nobody is to be told. */
    private Told undescribed;

    private JournalSettings(Handle handle, Told undescribed) {
        this.handle = handle;
        this.undescribed = undescribed;
    }

    /** Nothing to tell: a loader's transaction, a read, or one already described. */
    static JournalSettings none(Handle handle) {
        return new JournalSettings(handle, null);
    }

    /** {@code actor}'s settings and the transaction's key, sent with the first statement the handle runs. */
    static JournalSettings pending(Handle handle, Actor actor, UUID commitKey) {
        JournalSettings settings = new JournalSettings(handle, new Told(actor, commitKey));
        handle.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext ctx) {
                settings.sendPending();
            }
        });
        return settings;
    }

    /** Tells the triggers who changes what in the handle's transaction, in a statement of its own. */
    static void describe(Handle handle, Actor actor, UUID commitKey) {
        describe(handle, actor.credential(), actor.requestId(), actor.request(), commitKey);
    }

    /** The same for a change no directory actor makes (an administrator's); a null is told as none. */
    static void describe(Handle handle, String credential, String requestId, String request, UUID commitKey) {
        handle.createQuery("SELECT " + SET_CONFIG).bind("credential", emptyForNone(credential))
                .bind("requestId", emptyForNone(requestId)).bind("request", emptyForNone(request))
                .bind("commitKey", commitKey.toString())
                .mapTo(String.class).one();
    }

    /** Sends the settings still to be sent, in a statement of their own; for a statement Jdbi does not run. */
    void sendPending() {
        take().ifPresent(told -> describe(handle, told.actor(), told.commitKey()));
    }

    /**
     * The actor whose settings are still to be sent, for a read that carries them as the column
     * {@link Carrier} writes and binds; none are pending afterwards. A write's
     * first statement is such a read, so the settings cost no round trip of their own. They are set
     * as the row is read, before any later statement fires the triggers that read them.
     */
    Optional<Told> take() {
        Told told = undescribed;
        undescribed = null;
        return Optional.ofNullable(told);
    }

    /** The column {@code described} for a SELECT list when the read carries the settings, else nothing. */
    private static String column(boolean describing) {
        return describing ? ", " + SET_CONFIG + " AS described " : " ";
    }

    /**
     * A read that can carry the settings, written once without and once with their column ({@link
     * #column}), each made positional once ({@link NamedSql}) for {@link PlainStatements}.
     */
    record Carrier(NamedSql alone, NamedSql describing) {
        /** {@code withColumn} writes the read around the column it is given. */
        static Carrier of(UnaryOperator<String> withColumn) {
            return new Carrier(NamedSql.of(withColumn.apply(column(false))),
                    NamedSql.of(withColumn.apply(column(true))));
        }

        /** Values for the form {@code taken} asks for, with the settings bound when it holds an actor. */
        NamedSql.Values values(Optional<Told> taken) {
            NamedSql.Values values = (taken.isPresent() ? describing : alone).values();
            taken.ifPresent(told -> values.bind("credential", emptyForNone(told.actor().credential()))
                    .bind("requestId", emptyForNone(told.actor().requestId()))
                    .bind("request", emptyForNone(told.actor().request()))
                    .bind("commitKey", told.commitKey().toString()));
            return values;
        }
    }

    /**
     * A read that carries the settings still to be sent ({@link Carrier}) and may find
     * no row: one that finds none sets nothing, so the settings are given back and the transaction's
     * next statement sends them, as if they had not been taken.
     */
    <T> Optional<T> carriedBy(Function<Optional<Told>, Optional<T>> read) {
        Optional<Told> taken = take();
        Optional<T> found = read.apply(taken);
        if (found.isEmpty() && undescribed == null) {
            undescribed = taken.orElse(null);
        }
        return found;
    }

    /** The journal reads an empty setting as none; set_config's result would be NULL for a NULL value. */
    private static String emptyForNone(String value) {
        return value == null ? "" : value;
    }
}
