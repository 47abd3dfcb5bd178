package dev.scimserver.directory;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.ComparisonOperator;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an operator's search of users (the console's, the administration API's) asks the directory for:
 * the operator's text stays a string, whatever it holds.
 */
class OperatorSearchTest {
    private static final String GROUP = "4b8f0d52-2d3c-4f4e-9c1a-0a4c8e5d7f10";

    @Test
    void noFilterAsksForEveryone() {
        assertThat(new OperatorSearch.Users(null, null, null, null, "userName", false).filter()).isNull();
    }

    @Test
    void eachChoiceIsOneConditionAndAllMustHold() {
        String filter = new OperatorSearch.Users("ada", "builder", "archived", GROUP, "userName", false).filter()
                .toString();
        assertThat(filter).isEqualTo(FilterParser.parse("(userName co \"ada\" or displayName co \"ada\" or "
                + "name.formatted co \"ada\" or name.givenName co \"ada\" or name.middleName co \"ada\" or "
                + "name.familyName co \"ada\" or emails.value co \"ada\" or externalId eq \"ada\") and "
                + "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \"builder\" and active eq false "
                + "and groups.value eq \"" + GROUP + "\"").toString());
    }

    /** The console shows "given family" for a user without a displayName: typed as shown, it is found. */
    @Test
    void aSearchOfAFewWordsAlsoFindsANameWhosePartsHoldEachWord() {
        String filter = new OperatorSearch.Users(" Ada  Lovelace ", null, null, null, "userName", false).filter()
                .toString();
        // Names are searched trimmed, an externalId as typed.
        assertThat(filter).isEqualTo(FilterParser.parse("userName co \"Ada  Lovelace\" or displayName co \"Ada  "
                + "Lovelace\" or name.formatted co \"Ada  Lovelace\" or name.givenName co \"Ada  Lovelace\" or "
                + "name.middleName co \"Ada  Lovelace\" or name.familyName co \"Ada  Lovelace\" or emails.value co "
                + "\"Ada  Lovelace\" or externalId eq \" Ada  Lovelace \" or ((name.givenName co \"Ada\" or "
                + "name.middleName co \"Ada\" or name.familyName co \"Ada\") and (name.givenName co \"Lovelace\" or "
                + "name.middleName co \"Lovelace\" or name.familyName co \"Lovelace\"))").toString());
        String fourWords = String.join(" ", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(64));
        assertThat(fourWords).hasSize(OperatorSearch.MAX_SEARCH);
        assertThat(new OperatorSearch.Users(fourWords, null, null, null, "userName", false).filter().toString())
                .as("the longest search of words still makes a filter the parser takes").contains("And");
        assertThat(new OperatorSearch.Users("a b c d e", null, null, null, "userName", false).filter().toString())
                .as("more words than a name has parts are searched whole").doesNotContain("And");
    }

    /** A name copied from a document often holds no-break spaces: they part its words as a space does. */
    @Test
    void anyWhiteSpacePartsTheWords() {
        String eachWord = "((name.givenName co \"Ada\" or name.middleName co \"Ada\" or name.familyName co \"Ada\") "
                + "and (name.givenName co \"Lovelace\" or name.middleName co \"Lovelace\" or "
                + "name.familyName co \"Lovelace\"))";
        for (String typed : new String[] {"Ada\u00A0Lovelace", "\u202FAda\u2007\u3000Lovelace\u0085"}) {
            assertThat(new OperatorSearch.Users(typed, null, null, null, "userName", false).filter().toString())
                    .as(typed).contains(FilterParser.parse(eachWord).toString());
        }
        // A displayName holds the words with the space it was typed with; an externalId stays exact.
        String pasted = new OperatorSearch.Users("Ada\u00A0Lovelace\u00A0", null, null, null, "userName", false)
                .filter().toString();
        assertThat(pasted).contains(FilterParser.parse("displayName co \"Ada Lovelace\"").toString())
                .contains(FilterParser.parse("externalId eq \"Ada\u00A0Lovelace\u00A0\"").toString());
        assertThat(pasted).contains(FilterParser.parse("displayName co \"Ada\u00A0Lovelace\"").toString());
        assertThat(OperatorSearch.groups("Eng\u00A0Team\u202F", null, 10).filter().toString())
                .isEqualTo(FilterParser.parse("displayName co \"Eng Team\" or displayName co \"Eng\u00A0Team\"")
                        .toString());
    }

    /**
     * One or two characters give a trigram index nothing to find inside a word: such a search, or such a
     * word of a few, finds what begins with it, which the index finds at a million members.
     */
    @Test
    void aSearchTooShortForATrigramFindsWhatBeginsWithIt() {
        assertThat(new OperatorSearch.Users("Ad", null, null, null, "userName", false).filter().toString())
                .isEqualTo(FilterParser.parse("userName sw \"Ad\" or displayName sw \"Ad\" or name.formatted sw "
                        + "\"Ad\" or name.givenName sw \"Ad\" or name.middleName sw \"Ad\" or name.familyName sw \"Ad\" "
                        + "or emails.value sw \"Ad\" or externalId eq \"Ad\"").toString());
        String emoji = "\ud83d\ude00";
        assertThat(new OperatorSearch.Users(emoji + emoji + emoji, null, null, null, "userName", false).filter()
                .toString()).as("three characters, one surrogate pair each").contains("Co").doesNotContain("Sw");
        assertThat(new OperatorSearch.Users("Ada L", null, null, null, "userName", false).filter().toString())
                .isEqualTo(FilterParser.parse("userName co \"Ada L\" or displayName co \"Ada L\" or name.formatted co "
                        + "\"Ada L\" or name.givenName co \"Ada L\" or name.middleName co \"Ada L\" or name.familyName co "
                        + "\"Ada L\" or emails.value co \"Ada L\" or externalId eq \"Ada L\" or ((name.givenName co \"Ada\" "
                        + "or name.middleName co \"Ada\" or name.familyName co \"Ada\") and (name.givenName sw \"L\" or "
                        + "name.middleName sw \"L\" or name.familyName sw \"L\"))").toString());
    }

    @Test
    void quotesAndFilterSyntaxInTheSearchStayPartOfTheString() {
        String typed = "x\" or userName pr or userName eq \"\\";
        Filter filter = new OperatorSearch.Users(typed, null, null, null, "userName", false).filter();
        // One comparison an attribute, each with the whole typed text as its value; no Present, no other condition.
        Filter.Or or = (Filter.Or) filter;
        assertThat(or.right()).isEqualTo(new Filter.Comparison(AttributePath.parse("externalId"), ComparisonOperator.EQ,
                TextNode.valueOf(typed)));
        assertThat(filter.toString()).doesNotContain("Present").doesNotContain("And[");
    }

    @Test
    void aChoiceNoSearchOffersIsRefusedNamingIt() {
        String[][] refused = {{"x".repeat(OperatorSearch.MAX_SEARCH + 1), null, null, null, "userName", "q"},
            {"a\u0000b", null, null, null, "userName", "q"}, {"\ud800", null, null, null, "userName", "q"},
            {null, "owner", null, null, "userName", "role"}, {null, null, "invited", null, "userName", "status"},
            {null, null, null, "1-1-1-1-1", "userName", "group"}, {null, null, null, null, "title", "sort"}};
        for (String[] choice : refused) {
            assertThatThrownBy(() -> new OperatorSearch.Users(choice[0], choice[1], choice[2], choice[3], choice[4],
                    false)).isInstanceOfSatisfying(InvalidSearchException.class,
                            e -> assertThat(e.parameter()).isEqualTo(choice[5]));
        }
        assertThatThrownBy(() -> OperatorSearch.groups("x".repeat(OperatorSearch.MAX_SEARCH + 1), null, 1))
                .isInstanceOf(InvalidSearchException.class);
        assertThatThrownBy(() -> OperatorSearch.groups("\u0000", null, 1)).isInstanceOfSatisfying(
                InvalidSearchException.class, e -> assertThat(e.parameter()).isEqualTo("q"));
        assertThat(new OperatorSearch.Users("x".repeat(OperatorSearch.MAX_SEARCH), null, null, null, "userName", false)
                .filter()).as("the longest search still makes a filter the parser takes").isNotNull();
        // The bound counts characters, as the published maxLength does: an emoji is one.
        String emoji = "\ud83d\ude00";
        String words = String.join(" ", emoji.repeat(63), emoji.repeat(63), emoji.repeat(63), emoji.repeat(64));
        for (String longest : new String[] {emoji.repeat(OperatorSearch.MAX_SEARCH), words}) {
            assertThat(longest.codePointCount(0, longest.length())).isEqualTo(OperatorSearch.MAX_SEARCH);
            assertThat(new OperatorSearch.Users(longest, null, null, null, "userName", false).filter()).isNotNull();
            assertThat(OperatorSearch.groups(longest, null, 1)).isNotNull();
        }
        assertThatThrownBy(() -> OperatorSearch.groups(emoji.repeat(OperatorSearch.MAX_SEARCH + 1), null, 1))
                .isInstanceOf(InvalidSearchException.class);
    }

    @Test
    void aGroupIdInAnyCaseFiltersByItsCanonicalSpelling() {
        assertThat(new OperatorSearch.Users(null, null, null, GROUP.toUpperCase(java.util.Locale.ROOT), "userName",
                false).filter().toString()).isEqualTo(FilterParser.parse("groups.value eq \"" + GROUP + "\"").toString());
    }
}
