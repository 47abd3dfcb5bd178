package dev.scimserver.activity;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The secrets of the server's own configuration (its Basic password, its header token, the
 * administrator's and the metrics' tokens, the database's password, the events' key), withheld
 * wherever they appear in what the log keeps. {@link Redaction} finds a secret by the field that holds
 * it, or by the prefix of those this server issues; these have neither, so a token pasted into a
 * userName by a mapping gone wrong was logged as sent, and shown again by the console and its curl.
 *
 * <p>A secret shorter than {@value #SHORTEST_FOUND} characters is not looked for: it cannot be told
 * from an ordinary value (a Basic password {@code admin} would take every admin role out of the
 * log), and a secret that short is weak whatever the log does. The README says so.
 */
public final class ConfiguredSecrets {
    public static final ConfiguredSecrets NONE = new ConfiguredSecrets(Set.of());
    static final int SHORTEST_FOUND = 8;

    /** Each secret as it is written in text or JSON, the longest first so that no longer one is left cut. */
    private final List<String> written;
    /** The secrets themselves, for text that is percent-decoded before it is searched. */
    private final Set<String> plain;

    private ConfiguredSecrets(Set<String> secrets) {
        plain = secrets;
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            forms.add(secret);
            forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(secret)));
        }
        written = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The secrets among {@code values} long enough to be found; null and blank values are skipped. */
    public static ConfiguredSecrets of(Collection<String> values) {
        Set<String> secrets = new LinkedHashSet<>();
        values.stream().filter(Objects::nonNull).map(String::strip)
                .filter(value -> value.length() >= SHORTEST_FOUND).forEach(secrets::add);
        return secrets.isEmpty() ? NONE : new ConfiguredSecrets(Set.copyOf(secrets));
    }

    /** {@code text} with every secret in it, as written or JSON-escaped, replaced by the mark. */
    String withheld(String text) {
        if (text == null || plain.isEmpty()) {
            return text;
        }
        String kept = text;
        for (String secret : written) {
            kept = kept.replace(secret, Redaction.MARK);
        }
        return kept;
    }

    /**
     * The first part of a longer text: withheld, and cut back where it ends in the beginning of a
     * secret, since the cut may have fallen inside one.
     */
    String withheldHead(String head) {
        String kept = withheld(head);
        if (kept == null) {
            return null;
        }
        for (String secret : written) {
            for (int length = Math.min(secret.length() - 1, kept.length()); length > 0; length--) {
                if (kept.endsWith(secret.substring(0, length))) {
                    return kept.substring(0, kept.length() - length) + Redaction.MARK;
                }
            }
        }
        return kept;
    }

    /** A path or a query string, still percent-encoded, with each part that holds a secret withheld. */
    String withheldEncoded(String encoded, char separator) {
        return plain.isEmpty() ? encoded : Redaction.withheldParts(encoded, separator, this::holdsOne);
    }

    private boolean holdsOne(String text) {
        for (String secret : plain) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }
}
