package dev.scimserver.http.console;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.ComparisonOperator;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the users page asks the directory for: the operator's text stays a string, whatever it holds. */
class UserFilterTest {
    private static final String GROUP = "4b8f0d52-2d3c-4f4e-9c1a-0a4c8e5d7f10";

    @Test
    void noFilterAsksForEveryone() {
        assertThat(UserPages.filter(new UserPages.Filters(null, null, null, null, "userName", "asc"))).isNull();
    }

    @Test
    void eachChoiceIsOneConditionAndAllMustHold() {
        String filter = UserPages.filter(new UserPages.Filters("ada", "builder", "archived", GROUP, "userName", "asc"))
                .toString();
        assertThat(filter).isEqualTo(FilterParser.parse("(userName co \"ada\" or displayName co \"ada\" or "
                + "name.formatted co \"ada\" or name.givenName co \"ada\" or name.middleName co \"ada\" or "
                + "name.familyName co \"ada\" or emails.value co \"ada\" or externalId eq \"ada\") and "
                + "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \"builder\" and active eq false "
                + "and groups.value eq \"" + GROUP + "\"").toString());
    }

    @Test
    void quotesAndFilterSyntaxInTheSearchStayPartOfTheString() {
        String typed = "x\" or userName pr or userName eq \"\\";
        Filter filter = UserPages.filter(new UserPages.Filters(typed, null, null, null, "userName", "asc"));
        // One comparison an attribute, each with the whole typed text as its value; no Present, no other condition.
        Filter.Or or = (Filter.Or) filter;
        assertThat(or.right()).isEqualTo(new Filter.Comparison(AttributePath.parse("externalId"), ComparisonOperator.EQ,
                TextNode.valueOf(typed)));
        assertThat(filter.toString()).doesNotContain("Present").doesNotContain("And[");
    }

    @Test
    void aStatusOrGroupTheConsoleNeverOffersIsRefused() {
        assertThatThrownBy(() -> UserPages.filter(new UserPages.Filters(null, null, "invited", null, "userName", "asc")))
                .isInstanceOf(FormInput.Refused.class);
        assertThatThrownBy(() -> UserPages.filter(new UserPages.Filters(null, null, null, "1-1-1-1-1", "userName", "asc")))
                .isInstanceOf(FormInput.Refused.class);
    }
}
