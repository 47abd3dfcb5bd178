package dev.scimserver.store;

import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.StoredAttributes;
import dev.scimserver.directory.UserView;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.scimserver.store.StoredValues.instant;

/** A row of {@link MemberRows}' select: the member, and its custom groups as {id, name} pairs. */
final class UserViewMapper implements RowMapper<UserView> {
    static final UserViewMapper INSTANCE = new UserViewMapper();

    private UserViewMapper() {
    }

    @Override
    public UserView map(ResultSet rs, StatementContext ctx) throws SQLException {
        return read(rs);
    }

    /** The row as {@link PlainStatements} reads it, with no Jdbi statement around it. */
    static UserView read(ResultSet rs) throws SQLException {
        return new UserView(member(rs), groups(rs.getArray("groups")));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getObject("user_id", UUID.class), rs.getString("user_name"), rs.getString("external_id"),
                rs.getString("display_name"), Role.stored(rs.getString("role")),
                MemberStatus.fromValue(rs.getString("status")), StoredAttributes.ofUtf8(rs.getBytes("attributes")),
                rs.getLong("version"), instant(rs, "created_at"), instant(rs, "last_modified"),
                Role.stored(rs.getString("attribute_role")));
    }

    private static List<MemberRef> groups(Array pairs) throws SQLException {
        if (pairs == null) {
            return List.of();
        }
        String[][] groups = (String[][]) pairs.getArray();
        List<MemberRef> refs = new ArrayList<>(groups.length);
        for (String[] group : groups) {
            refs.add(new MemberRef(UUID.fromString(group[0]), group[1]));
        }
        return refs;
    }
}
