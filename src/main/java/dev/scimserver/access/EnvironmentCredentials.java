package dev.scimserver.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Checks the {@code Authorization} header against the configured secrets: {@code Basic} with user
 * and password, {@code Bearer <token>}, or the bare token as ToolJet accepts it. Hardened against
 * ToolJet issue 16217: an unset or blank secret never matches anything, and comparisons take the
 * same time whatever the input. It only checks: how many tries an address gets is
 * {@link RequestThrottle}'s business.
 */
public final class EnvironmentCredentials {
    /** The name of the Basic credential; never the user name, so that logs and keys carry no secret. */
    public static final String BASIC = "basic";
    /** The name of the header token credential. */
    public static final String TOKEN = "token";

    private final byte[] basicUser;
    private final byte[] basicPassword;
    private final byte[] token;

    /** Blank or null arguments switch that mode off. */
    public EnvironmentCredentials(String basicUser, String basicPassword, String token) {
        boolean basic = !isBlank(basicUser) && !isBlank(basicPassword);
        this.basicUser = basic ? digest(basicUser) : null;
        this.basicPassword = basic ? digest(basicPassword) : null;
        this.token = isBlank(token) ? null : digest(token);
    }

    public boolean basicEnabled() {
        return basicUser != null;
    }

    public boolean tokenEnabled() {
        return token != null;
    }

    /** The {@code WWW-Authenticate} challenge for the modes that are on. */
    public String challenge() {
        List<String> schemes = new ArrayList<>();
        if (basicEnabled()) {
            schemes.add("Basic realm=\"SCIM\", charset=\"UTF-8\"");
        }
        if (tokenEnabled()) {
            schemes.add("Bearer realm=\"SCIM\"");
        }
        return String.join(", ", schemes);
    }

    /**
     * Which configured credential the header presents: {@link #BASIC} or {@link #TOKEN}, or
     * {@code null} when it presents none. Per-credential rate limits are keyed by it.
     */
    public String credential(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? "" : value.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = space < 0 ? "" : value.substring(space + 1).trim();
        boolean matched = switch (scheme) {
            case "basic" -> checkBasic(credentials);
            case "bearer" -> matches(token, credentials);
            // ToolJet accepts the token alone, without a scheme.
            case "" -> matches(token, value);
            default -> false;
        };
        if (!matched) {
            return null;
        }
        return scheme.equals("basic") ? BASIC : TOKEN;
    }

    private boolean checkBasic(String credentials) {
        if (basicUser == null) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return false;
        }
        boolean user = matches(basicUser, decoded.substring(0, colon));
        boolean password = matches(basicPassword, decoded.substring(colon + 1));
        return user & password;
    }

    private static boolean matches(byte[] expectedDigest, String presented) {
        if (expectedDigest == null || presented.isEmpty()) {
            return false;
        }
        // Digests have one length, so the comparison time says nothing about the secret's length.
        return MessageDigest.isEqual(expectedDigest, digest(presented));
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JVM", e);
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
