package dev.scimserver.scim;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Filter values compared with a unique name are read as the name is kept. */
class NamesTest {
    private static final AttributeDefinition USER_NAME =
            ScimSchemas.get().users().core().attribute("userName").orElseThrow();
    private static final AttributeDefinition EMAIL_VALUE =
            ScimSchemas.get().users().core().attribute("emails").flatMap(e -> e.subAttribute("value")).orElseThrow();
    private static final AttributeDefinition USER_DISPLAY_NAME =
            ScimSchemas.get().users().core().attribute("displayName").orElseThrow();
    private static final AttributeDefinition GROUP_DISPLAY_NAME =
            ScimSchemas.get().groups().core().attribute("displayName").orElseThrow();

    @Test
    void equalityAndOrderingCompareTheCanonicalForm() {
        for (ComparisonOperator op : new ComparisonOperator[] {ComparisonOperator.EQ, ComparisonOperator.NE,
                ComparisonOperator.GT, ComparisonOperator.LE}) {
            assertThat(Names.comparedWith(USER_NAME, op, TextNode.valueOf(" Rene\u0301 ")))
                    .isEqualTo(TextNode.valueOf("Ren\u00e9"));
            assertThat(Names.comparedWith(EMAIL_VALUE, op, TextNode.valueOf("a@x.com\t")))
                    .isEqualTo(TextNode.valueOf("a@x.com"));
            assertThat(Names.comparedWith(GROUP_DISPLAY_NAME, op, TextNode.valueOf(" Team ")))
                    .isEqualTo(TextNode.valueOf("Team"));
        }
    }

    @Test
    void aSubstringKeepsItsSpacesButIsComposed() {
        for (ComparisonOperator op : new ComparisonOperator[] {ComparisonOperator.CO, ComparisonOperator.SW,
                ComparisonOperator.EW}) {
            assertThat(Names.comparedWith(USER_NAME, op, TextNode.valueOf(" e\u0301 ")))
                    .isEqualTo(TextNode.valueOf(" \u00e9 "));
        }
    }

    @Test
    void otherAttributesAndOtherValuesAreComparedAsSent() {
        assertThat(Names.comparedWith(USER_DISPLAY_NAME, ComparisonOperator.EQ, TextNode.valueOf(" Rene\u0301 ")))
                .isEqualTo(TextNode.valueOf(" Rene\u0301 "));
        assertThat(Names.comparedWith(USER_NAME, ComparisonOperator.EQ, IntNode.valueOf(7)))
                .isEqualTo(IntNode.valueOf(7));
    }
}
