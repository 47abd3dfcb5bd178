package dev.scimserver.scim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.scimserver.scim.ScimFixtures.json;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 7643 §2.2: an immutable value may be set once; a replacement that changes it is refused. */
class ImmutableAttributesTest {
    /** A resource type whose "badge" is immutable, and whose "card" has an immutable "serial". */
    private static final ResourceType TYPE = new ResourceType("Thing", "Thing", "/Things", "test",
            new Schema("urn:test:Thing", "Thing", "test", List.of(
                    attribute("badge", Mutability.IMMUTABLE, List.of()),
                    new AttributeDefinition("card", AttributeType.COMPLEX, false, "", false, false, Mutability.READ_WRITE,
                            Returned.DEFAULT, Uniqueness.NONE, List.of(), List.of(), List.of(
                            attribute("serial", Mutability.IMMUTABLE, List.of()),
                            attribute("label", Mutability.READ_WRITE, List.of()))))),
            List.of(), List.of());

    private static AttributeDefinition attribute(String name, Mutability mutability, List<AttributeDefinition> subs) {
        return new AttributeDefinition(name, AttributeType.STRING, false, "", false, false, mutability, Returned.DEFAULT,
                Uniqueness.NONE, List.of(), List.of(), subs);
    }

    @Test
    void settingAnUnsetImmutableValueIsAllowed() {
        ObjectNode current = json("{'card':{'label':'x'}}");
        assertThatCode(() -> ImmutableAttributes.checkReplacement(TYPE, current,
                json("{'badge':'b1','card':{'serial':'s1','label':'y'}}"))).doesNotThrowAnyException();
    }

    @Test
    void keepingTheSameImmutableValueIsAllowed() {
        ObjectNode current = json("{'badge':'b1','card':{'serial':'s1','label':'x'}}");
        assertThatCode(() -> ImmutableAttributes.checkReplacement(TYPE, current,
                json("{'badge':'b1','card':{'serial':'s1','label':'changed'}}"))).doesNotThrowAnyException();
    }

    @Test
    void changingOrDroppingAnImmutableValueIsMutability() {
        ObjectNode current = json("{'badge':'b1','card':{'serial':'s1'}}");
        for (String replacement : new String[] {"{'badge':'b2','card':{'serial':'s1'}}", "{'card':{'serial':'s1'}}",
                "{'badge':'b1','card':{'serial':'s2'}}", "{'badge':'b1'}"}) {
            assertThatThrownBy(() -> ImmutableAttributes.checkReplacement(TYPE, current, json(replacement)))
                    .isInstanceOfSatisfying(ScimException.class,
                            e -> org.assertj.core.api.Assertions.assertThat(e.scimType()).contains(ScimType.MUTABILITY));
        }
    }
}
