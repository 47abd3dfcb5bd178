package dev.scimserver.directory;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import dev.scimserver.scim.Names;
import dev.scimserver.scim.ScimUrns;
import dev.scimserver.scim.StorableText;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What an operator looks up in a workspace's directory, as the console's pages and the administration
 * API ask for it alike: the same choices become the same SCIM filter and order, paged by the
 * directory's signed cursors (keyset paging, so page 10,000 costs what page 1 costs).
 */
public final class OperatorSearch {
    /** The orders the directory keeps an index for, so that sorting a million members stays a walk of an index. */
    public static final Set<String> USER_SORTS = Set.of("userName", "displayName", "meta.created");
    /**
     * The longest text searched for, as the console's form has taken it. The filter made of it names it
     * eight times, which stays within the filter's own length limit for any text that needs no escape.
     */
    public static final int MAX_SEARCH = 256;
    /** The most words a search finds one by one among a name's parts (a given, a middle and a family name, and one more). */
    static final int MOST_WORDS = 4;
    /**
     * The shortest text a trigram index finds inside a word (pg_trgm's trigrams are three characters).
     * Shorter, a substring has no index to use and is looked for in every member, a read of the whole
     * table that a million members make seconds long; such a text finds what begins with it instead,
     * which the indexes answer, as a search box's first letters are typed.
     */
    static final int SHORTEST_SUBSTRING = 3;
    /** A character of Unicode's White_Space: a name copied from a document holds no-break spaces. */
    private static final Pattern WHITE_SPACE = Pattern.compile("(?U)\\s");

    private OperatorSearch() {
    }

    /**
     * Whether an {@code order} asks for the list descending: {@code asc} or absent, ascending; {@code desc},
     * descending; anything else an {@link InvalidSearchException}.
     */
    public static boolean descending(String order) {
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new InvalidSearchException("order", "order must be asc or desc");
        }
        return "desc".equals(order);
    }

    /**
     * The operator's choices among users; a blank field asks for nothing. {@code group} is the id of a
     * group the users must belong to; {@code sort} one of {@link #USER_SORTS}. A choice no search
     * offers is an {@link InvalidSearchException} naming it.
     */
    public record Users(String q, String role, String status, String group, String sort, boolean descending) {
        public Users {
            checkSearch(q);
            if (role != null) {
                // Kept as the role's own name: the form shows the choice it filters by, in any case sent.
                role = Role.find(role).orElseThrow(() -> new InvalidSearchException("role",
                        "role must be one of admin, builder, end-user")).value();
            }
            if (status != null && !status.equals("active") && !status.equals("archived")) {
                throw new InvalidSearchException("status", "status must be active or archived");
            }
            if (group != null && CanonicalUuids.parse(group).isEmpty()) {
                throw new InvalidSearchException("group", "group must be a group's id");
            }
            if (!USER_SORTS.contains(sort)) {
                throw new InvalidSearchException("sort", "sort must be one of userName, displayName, meta.created");
            }
        }

        /**
         * The SCIM filter of these choices. The text search looks where the directory has a trigram index
         * (userName, the names, emails) and at externalId exactly, so it stays fast at a million members:
         * displayName and the name's parts share one index (V31). A search of two to
         * {@value #MOST_WORDS} words also finds a user whose name's parts hold each word (the console
         * shows "given family" for a user without a displayName, and an operator types what it shows).
         * A text, or a word, shorter than {@value #SHORTEST_SUBSTRING} characters is found where a value
         * begins with it.
         */
        public Filter filter() {
            List<String> parts = new ArrayList<>();
            if (q != null) {
                List<String> searched = new ArrayList<>();
                List<String> spellings = spellings(q);
                for (String attribute : List.of("userName", "displayName", "name.formatted", "name.givenName",
                        "name.middleName", "name.familyName", "emails.value")) {
                    spellings.forEach(text -> searched.add(attribute + containedIn(text) + literal(text)));
                }
                // Another system's key, compared exactly: as typed.
                searched.add("externalId eq " + literal(q));
                String[] words = spoken(q).split(" +");
                if (words.length > 1 && words.length <= MOST_WORDS) {
                    List<String> eachWord = new ArrayList<>();
                    for (String word : words) {
                        String w = literal(word);
                        String op = containedIn(word);
                        eachWord.add("(name.givenName" + op + w + " or name.middleName" + op + w
                                + " or name.familyName" + op + w + ")");
                    }
                    searched.add("(" + String.join(" and ", eachWord) + ")");
                }
                parts.add("(" + String.join(" or ", searched) + ")");
            }
            if (role != null) {
                parts.add(ScimUrns.TOOLJET_USER + ":role eq " + literal(role));
            }
            if (status != null) {
                parts.add(status.equals("active") ? "active eq true" : "active eq false");
            }
            if (group != null) {
                parts.add("groups.value eq " + literal(CanonicalUuids.parse(group).orElseThrow().toString()));
            }
            return parts.isEmpty() ? null : FilterParser.parseComposed(String.join(" and ", parts));
        }

        /** A page of {@code count} users from {@code cursor} ({@code null} or empty for the first). */
        public SearchQuery query(String cursor, int count) {
            return new SearchQuery(filter(), new SearchQuery.Sort(AttributePath.parse(sort), descending), 1, count,
                    cursor == null ? "" : cursor, null);
        }
    }

    /** A page of the workspace's custom groups by name, those whose name holds {@code q} if given. */
    public static SearchQuery groups(String q, String cursor, int count) {
        checkSearch(q);
        return new SearchQuery(q == null ? null : FilterParser.parseComposed(String.join(" or ",
                        spellings(q).stream().map(text -> "displayName co " + literal(text)).toList())),
                new SearchQuery.Sort(AttributePath.parse("displayName"), false), 1, count,
                cursor == null ? "" : cursor, null);
    }

    /** A page of a group's members by userName: users whose groups hold it, paged as users are. */
    public static SearchQuery members(UUID group, String cursor, int count) {
        return new SearchQuery(FilterParser.parse("groups.value eq " + literal(group.toString())),
                new SearchQuery.Sort(AttributePath.parse("userName"), false), 1, count,
                cursor == null ? "" : cursor, null);
    }

    /** One group by id: the first page of a search that finds it, or none. */
    public static SearchQuery group(String id) {
        return new SearchQuery(FilterParser.parse("id eq " + literal(id)), null, 1, 1, null, null);
    }

    private static void checkSearch(String q) {
        // Characters, as the published document's maxLength counts them: an emoji is one, not two.
        if (q != null && q.codePointCount(0, q.length()) > MAX_SEARCH) {
            throw new InvalidSearchException("q", "a search is at most " + MAX_SEARCH + " characters");
        }
        // Said of the search the operator typed, not of the filter made of it, whose positions mean nothing to them.
        int unstorable = q == null ? -1 : StorableText.firstUnstorable(q);
        if (unstorable >= 0) {
            throw new InvalidSearchException("q", "the search contains " + StorableText.reason(q, unstorable));
        }
    }

    /**
     * A search for names as a person reads it: trimmed of white space, each character of it inside a
     * plain space (a no-break space pasted with "Ada Lovelace" is the space the stored name holds).
     */
    private static String spoken(String q) {
        return WHITE_SPACE.matcher(Names.trimmed(q)).replaceAll(" ");
    }

    /**
     * The texts a search looks for in names: as read ({@link #spoken}), and as typed (trimmed) where that
     * differs, for a name stored with the no-break space an IdP sent inside it.
     */
    private static List<String> spellings(String q) {
        String spoken = spoken(q);
        String typed = Names.trimmed(q);
        return spoken.equals(typed) ? List.of(spoken) : List.of(spoken, typed);
    }

    /** The operator that finds {@code text} in a value: inside it, or at its start when too short for a trigram. */
    private static String containedIn(String text) {
        return text.codePointCount(0, text.length()) < SHORTEST_SUBSTRING ? " sw " : " co ";
    }

    /** {@code text} as a SCIM string: whatever it holds (quotes, filter syntax) stays part of the value. */
    private static String literal(String text) {
        return TextNode.valueOf(text).toString();
    }
}
