package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A statement written with named parameters, as the driver is given it and bound by name. */
class NamedSqlTest {
    @Test
    void eachNameBecomesAPlaceholderButNotACastOrALiteral() {
        NamedSql statement = NamedSql.of("SELECT :id, :name::text, ':notAName', 'it''s :neither' "
                + "FROM t WHERE t.id = :id AND t.x = :x_2");

        assertThat(statement.sql()).isEqualTo("SELECT ?, ?::text, ':notAName', 'it''s :neither' "
                + "FROM t WHERE t.id = ? AND t.x = ?");
        assertThat(statement.values().bind("id", 1L).bind("name", null).bind("x_2", "x").positional())
                .containsExactly(1L, null, 1L, "x");
    }

    @Test
    void everyNameMustBeBoundBeforeTheStatementRuns() {
        NamedSql.Values values = NamedSql.of("SELECT :a, :b").values().bind("a", "one");

        assertThatThrownBy(values::positional).isInstanceOf(IllegalStateException.class).hasMessageContaining(":b");
    }

    @Test
    void aNameTheStatementDoesNotHaveIsRefused() {
        NamedSql.Values values = NamedSql.of("SELECT :a").values();

        assertThatThrownBy(() -> values.bind("b", 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(":b");
    }

    @Test
    void aPlaceholderOfTheTextsOwnIsRefused() {
        assertThatThrownBy(() -> NamedSql.of("SELECT attributes ? 'emails' FROM t WHERE id = :id"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedSql.of("SELECT 'unterminated FROM t"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachRunHasValuesOfItsOwn() {
        NamedSql statement = NamedSql.of("SELECT :a");
        NamedSql.Values first = statement.values().bind("a", "first");
        statement.values().bind("a", "second");

        assertThat(first.positional()).containsExactly("first");
    }
}
