package dev.scimserver.access;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a token request ({@code application/x-www-form-urlencoded}, already decoded),
 * read by RFC 6749's rules: a parameter sent without a value counts as omitted (§3.1), and one
 * sent more than once makes the request invalid (§3.1, §3.2).
 */
public final class TokenRequestForm {
    private final Map<String, List<String>> parameters;

    public TokenRequestForm(Map<String, List<String>> parameters) {
        this.parameters = Map.copyOf(parameters);
    }

    /** The parameter's value, or empty when it is absent or empty; {@code invalid_request} when repeated. */
    Optional<String> single(String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw OAuthException.invalidRequest("the parameter " + name + " is repeated");
        }
        return Optional.of(values.get(0)).filter(value -> !value.isEmpty());
    }
}
