package dev.scimserver.access;

import java.util.Locale;

/**
 * {@code SCIM_ADMIN_TOKEN}: the one secret that opens the administration API. Unset or blank, the API
 * is off. Presented only as {@code Authorization: Bearer <token>} (the scheme in any case); it is
 * kept as a digest and compared in constant time, and a blank presented token never matches. How
 * many tries an address gets is {@link RequestThrottle}'s business.
 */
public final class AdminToken {
    private final SecretHash digest;

    public AdminToken(String configured) {
        this.digest = configured == null || configured.isBlank() ? null : SecretHash.of(configured);
    }

    public boolean enabled() {
        return digest != null;
    }

    /** Whether the {@code Authorization} header value presents the admin token. */
    public boolean presentedBy(String authorization) {
        if (digest == null || authorization == null) {
            return false;
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return false;
        }
        return matches(value.substring(space + 1).trim());
    }

    /** Whether {@code token}, as typed into the console's sign-in form, is the admin token. */
    public boolean matches(String token) {
        // Digests have one length, so the comparison's time says nothing about the secret's length.
        return digest != null && token != null && !token.isEmpty() && digest.equals(SecretHash.of(token));
    }

    @Override
    public String toString() {
        return enabled() ? "AdminToken[set]" : "AdminToken[unset]";
    }
}
