package dev.scimserver.store;

import dev.scimserver.directory.Group;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import static dev.scimserver.store.StoredValues.attributes;
import static dev.scimserver.store.StoredValues.instant;

/** A row of {@link GroupRows}' select. */
final class GroupMapper implements RowMapper<Group> {
    static final GroupMapper INSTANCE = new GroupMapper();

    private GroupMapper() {
    }

    @Override
    public Group map(ResultSet rs, StatementContext ctx) throws SQLException {
        return read(rs);
    }

    /** The row as {@link PlainStatements} reads it, with no Jdbi statement around it. */
    static Group read(ResultSet rs) throws SQLException {
        return new Group(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("external_id"),
                attributes(rs), rs.getLong("version"), instant(rs, "created_at"), instant(rs, "last_modified"));
    }
}
