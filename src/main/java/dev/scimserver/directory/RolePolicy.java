package dev.scimserver.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ScimException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** How a workspace's members get their roles: the source, and the groups mapped to roles. */
public record RolePolicy(RoleSource source, List<RoleMapping> mappings) {
    /** The most bytes the mappings take as JSON: the largest body the administration API reads (AdminBody). */
    public static final int MOST_BYTES = 64 * 1024;
    private static final ObjectMapper WRITER = new ObjectMapper();

    public RolePolicy {
        mappings = List.copyOf(mappings);
    }

    /**
     * The policy with these mappings; one name (in any case) or one id mapped twice is 400 invalidValue. A
     * group mapped by its name and by its id stays mapped twice: the name follows the group's renames,
     * the id does not, and while both name it, its members get the higher role ({@link #roleOf}).
     */
    public RolePolicy withMappings(List<RoleMapping> next) {
        requireDistinct(next);
        requireWritableBack(next);
        return new RolePolicy(source, next);
    }

    /**
     * The mappings as the administration API reads and writes them: {@code [{"group": …, "role": …}, …]}.
     */
    public ArrayNode mappingsJson() {
        return json(mappings);
    }

    private static ArrayNode json(List<RoleMapping> mappings) {
        ArrayNode json = JsonNodeFactory.instance.arrayNode();
        for (RoleMapping mapping : mappings) {
            json.addObject().put("group", mapping.group()).put("role", mapping.role().value());
        }
        return json;
    }

    /**
     * 400 invalidValue for mappings that, written out as a read gives them (compact JSON in UTF-8), would
     * take more than the {@value #MOST_BYTES} bytes a write takes: a client writes back the list it read,
     * and names kept in NFC may be longer than they were sent (U+0958 is two code points in NFC).
     */
    private static void requireWritableBack(List<RoleMapping> mappings) {
        int bytes;
        try {
            bytes = WRITER.writeValueAsBytes(json(mappings)).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings is always written", e);
        }
        if (bytes > MOST_BYTES) {
            throw ScimException.invalidValue("the role mappings would take " + bytes + " bytes as the API returns "
                    + "them, more than the " + MOST_BYTES + " a write of them may take (group names are kept in "
                    + "Unicode NFC, which can lengthen them)");
        }
    }

    /** 400 invalidValue naming the first group that {@code mappings} map twice: by one name (any case) or one id. */
    public static void requireDistinct(List<RoleMapping> mappings) {
        Set<String> seen = new HashSet<>();
        for (RoleMapping mapping : mappings) {
            if (!seen.add(mapping.key())) {
                throw ScimException.invalidValue("the group '" + ClientText.abbreviate(mapping.group())
                        + "' is mapped more than once");
            }
        }
    }

    /**
     * What the mappings are, in 32 hex digits: equal lists, and only they, have equal digests (a
     * collision of SHA-256 aside). A client that read the mappings names this digest when it writes
     * them back, so that a change made in between is refused rather than lost.
     */
    public String mappingsDigest() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (RoleMapping mapping : mappings) {
            // Lengths first, so that no two lists run together into the same bytes.
            byte[] group = mapping.group().getBytes(StandardCharsets.UTF_8);
            digest.update((group.length + ":").getBytes(StandardCharsets.US_ASCII));
            digest.update(group);
            digest.update((mapping.role().value() + ";").getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    public RolePolicy withSource(RoleSource next) {
        return new RolePolicy(next, mappings);
    }

    /** The role the group gives its members; empty when it is mapped to none. */
    Optional<Role> roleOf(UUID groupId, String groupName) {
        return mappings.stream().filter(m -> m.names(groupId, groupName)).map(RoleMapping::role)
                .reduce(Role::higher);
    }

    /**
     * Whether a change to the members or the name of this group can change a role: only while roles
     * come from groups, and only for a group mapped before or after the change.
     */
    boolean rolesFollow(UUID groupId, String nameBefore, String nameAfter) {
        return source.usesGroups()
                && (roleOf(groupId, nameBefore).isPresent() || roleOf(groupId, nameAfter).isPresent());
    }
}
