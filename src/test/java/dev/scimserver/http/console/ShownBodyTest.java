package dev.scimserver.http.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A logged body is indented when it is one JSON document, and shown as kept whenever indenting could change it. */
class ShownBodyTest {
    @Test
    void oneJsonDocumentIsIndented() {
        assertThat(ShownBody.of("{\"userName\":\"ada\",\"emails\":[{\"value\":\"a@x\"}]}")).isEqualTo("""
                {
                  "userName" : "ada",
                  "emails" : [ {
                    "value" : "a@x"
                  } ]
                }""");
    }

    @Test
    void numbersKeepTheirDigits() {
        assertThat(ShownBody.of("{\"a\":1.50,\"b\":12345678901234567890123,\"c\":1e400}"))
                .contains("\"a\" : 1.50").contains("\"b\" : 12345678901234567890123");
    }

    @Test
    void whatIsNotExactlyOneJsonDocumentIsShownAsKept() {
        for (String body : new String[] {
            "{\"userName\":\"ada\"} trailing",
            "{\"userName\":\"ada\",\"userName\":\"eve\"}",
            "{\"userName\":\"ada\"\n[cut at 64 KiB: the body had 70000 bytes]",
            "grant_type=client_credentials&client_secret=%5BREDACTED%5D",
            "<script>alert(1)</script>"}) {
            assertThat(ShownBody.of(body)).as(body).isEqualTo(body);
        }
        assertThat(ShownBody.of(null)).isNull();
        assertThat(ShownBody.of("")).isEmpty();
    }
}
