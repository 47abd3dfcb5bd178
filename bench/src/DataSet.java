import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The bench data set, a pure function of the user index, so the loader writes it and the driver
 * finds it again without a file between them. Users are 0-based; index i has:
 * userName {given}.{family}.{i}@example.com (also the primary work email), externalId a GUID as
 * Entra sends (objectId), enterprise attributes, a role (1% admin, 10% builder, the rest end-user).
 */
final class DataSet {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String TOOLJET = "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static final String[] GIVEN = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Margaret", "Ken",
            "Frances", "John", "Radia", "Tim", "Sophie", "Linus", "Hedy", "Dennis", "Katherine", "Niklaus", "Shafi",
            "Leslie", "Mary", "Bjarne", "Anita", "Guido", "Jean", "Yukihiro", "Karen", "James", "Lynn", "Whitfield"};
    private static final String[] FAMILY = {"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Hamilton",
            "Thompson", "Allen", "McCarthy", "Perlman", "Berners-Lee", "Wilson", "Torvalds", "Lamarr", "Ritchie",
            "Johnson", "Wirth", "Goldwasser", "Lamport", "Jackson", "Stroustrup", "Borg", "van Rossum", "Sammet",
            "Matsumoto", "Sparck Jones", "Gosling", "Conway", "Diffie"};
    private static final String[] DEPARTMENTS = {"Engineering", "Sales", "Marketing", "Finance", "Support", "Legal",
            "Operations", "Research", "People", "Product"};
    private static final String[] TITLES = {"Engineer", "Senior Engineer", "Account Executive", "Analyst", "Manager",
            "Director", "Designer", "Specialist", "Consultant", "Architect"};
    private static final String[] CITIES = {"London", "Paris", "Berlin", "Madrid", "Lisbon", "Dublin", "Amsterdam",
            "Warsaw", "Vienna", "Oslo"};

    private DataSet() {
    }

    static String given(int i) {
        return GIVEN[i % GIVEN.length];
    }

    static String family(int i) {
        return FAMILY[(i / GIVEN.length) % FAMILY.length];
    }

    static String userName(int i) {
        return (given(i) + "." + family(i)).toLowerCase().replace(' ', '-') + "." + i + "@example.com";
    }

    /** The work email is the userName, as Entra and Okta set it up by default (UPN = mail). */
    static String workEmail(int i) {
        return userName(i);
    }

    static String externalId(int i) {
        return UUID.nameUUIDFromBytes(("bench-user-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String role(int i) {
        return i % 100 == 0 ? "admin" : i % 10 == 5 ? "builder" : "end-user";
    }

    /** A full User as Entra ID's default attribute mapping sends it. */
    static ObjectNode user(int i, String userName, String externalId, String email, String password) {
        ObjectNode u = JSON.createObjectNode();
        u.putArray("schemas").add(CORE).add(ENTERPRISE).add(TOOLJET);
        u.put("userName", userName);
        u.put("externalId", externalId);
        u.put("active", true);
        u.put("displayName", given(i) + " " + family(i));
        ObjectNode name = u.putObject("name");
        name.put("givenName", given(i));
        name.put("familyName", family(i));
        name.put("formatted", given(i) + " " + family(i));
        u.put("title", TITLES[i % TITLES.length]);
        u.put("preferredLanguage", "en-GB");
        u.put("locale", "en-GB");
        u.putArray("emails").addObject().put("value", email).put("type", "work").put("primary", true);
        u.putArray("phoneNumbers").addObject().put("value", "+44 20 7946 " + String.format("%04d", i % 10000))
                .put("type", "work");
        ObjectNode address = u.putArray("addresses").addObject();
        address.put("type", "work").put("locality", CITIES[i % CITIES.length]).put("country", "GB")
                .put("primary", true);
        ObjectNode ent = u.putObject(ENTERPRISE);
        ent.put("employeeNumber", Integer.toString(100000 + i));
        ent.put("costCenter", "CC-" + (i % 97));
        ent.put("organization", "Bench Corp");
        ent.put("division", "Division " + (i % 7));
        ent.put("department", DEPARTMENTS[i % DEPARTMENTS.length]);
        u.putObject(TOOLJET).put("role", role(i));
        if (password != null) {
            u.put("password", password);
        }
        return u;
    }

    /** A PATCH request of one operation, given as its JSON object. */
    static String patchRequest(String operation) {
        return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operation + "]}";
    }

    static ObjectNode user(int i) {
        return user(i, userName(i), externalId(i), workEmail(i), null);
    }

    /** Sizes of a mode: users, groups, members of the one big group, members of every other group. */
    record Sizes(int users, int groups, int bigGroup, int groupSize) {
        static Sizes of(String mode) {
            return switch (mode) {
                case "quick" -> new Sizes(10_000, 100, 5_000, 20);
                case "full" -> new Sizes(1_000_000, 10_000, 100_000, 20);
                default -> {
                    // custom: users[,groups[,bigGroup]]
                    String[] p = mode.split(",");
                    int users = Integer.parseInt(p[0]);
                    yield new Sizes(users, p.length > 1 ? Integer.parseInt(p[1]) : Math.max(10, users / 100),
                            p.length > 2 ? Integer.parseInt(p[2]) : users / 10, 20);
                }
            };
        }
    }

    /** Group 0 is the big one ("All Staff", users 0..bigGroup-1); group g>0 has groupSize users from bigGroup on. */
    static String groupName(int g) {
        return g == 0 ? "All Staff" : "Team " + g;
    }

    static int groupMember(Sizes s, int g, int k) {
        // Spread regular groups over the users after the big group, wrapping if there are few users.
        long span = Math.max(1, s.users() - s.bigGroup());
        return (int) (s.bigGroup() + ((long) (g - 1) * s.groupSize() + k) % span);
    }
}
