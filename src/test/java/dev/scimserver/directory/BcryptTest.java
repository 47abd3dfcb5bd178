package dev.scimserver.directory;

import dev.scimserver.scim.ScimException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server's hasher: a password matches the hash made of it and no other; what bcrypt cannot read, nothing. */
class BcryptTest {
    private final PasswordHasher bcrypt = PasswordHasher.bcrypt();

    @Test
    void aPasswordMatchesItsOwnHashOnly() {
        String hash = bcrypt.hash("Corr3ct horse, ë 日本");
        assertThat(hash).startsWith("$2a$" + Bcrypt.COST + "$");
        assertThat(bcrypt.matches("Corr3ct horse, ë 日本", hash)).isTrue();
        assertThat(bcrypt.matches("Corr3ct horse, e 日本", hash)).isFalse();
        assertThat(bcrypt.matches("", hash)).isFalse();
        assertThat(bcrypt.hash("Corr3ct horse, ë 日本")).as("salted: a new hash each time").isNotEqualTo(hash);
    }

    @Test
    void aHashBcryptCannotReadMatchesNothing() {
        for (String unreadable : new String[] {"", "plain", "$2a$10$short", "{noop}secret"}) {
            assertThat(bcrypt.matches("secret", unreadable)).as(unreadable).isFalse();
        }
    }

    /** bcrypt reads 72 bytes: a longer password is refused when checked as when hashed, never cut. */
    @Test
    void aPasswordOverSeventyTwoBytesIsRefusedEitherWay() {
        String longest = "é".repeat(Bcrypt.MAX_BYTES / 2);
        String hash = bcrypt.hash(longest);
        assertThat(bcrypt.matches(longest, hash)).isTrue();
        assertThatThrownBy(() -> bcrypt.matches(longest + "x", hash)).isInstanceOf(ScimException.class)
                .hasMessageContaining("72 bytes");
        assertThatThrownBy(() -> bcrypt.hash(longest + "x")).isInstanceOf(ScimException.class)
                .hasMessageContaining("72 bytes");
    }
}
