package dev.scimserver.access;

/**
 * A request to create or change a credential or a workspace broke one of this package's rules
 * (a slug's shape, a name's length, an expiry in the past): the caller's mistake, a 400 wherever it
 * is answered. The message names the broken condition and never carries a secret.
 */
public final class AccessRuleException extends RuntimeException {
    private final String field;

    AccessRuleException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The name of the input that broke the rule, as the caller sent it ({@code slug}, {@code name}, ...). */
    public String field() {
        return field;
    }
}
