package dev.scimserver.http.scim;

import dev.scimserver.directory.Precondition;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our entity tags are {@code W/"<row version>"}. Conditional headers are compared weakly (RFC 9110
 * §8.8.3.2), so {@code "3"} and {@code W/"3"} name the same version.
 */
final class EntityTags {
    private static final Pattern TAG = Pattern.compile("\\s*(?:W/)?\"([^\"]*)\"\\s*");

    private EntityTags() {
    }

    static String of(long version) {
        return "W/\"" + version + "\"";
    }

    /** The precondition an {@code If-Match} header sets; a header naming no version of ours matches nothing. */
    static Precondition ifMatch(String header) {
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return Precondition.NONE;
        }
        return Precondition.oneOf(versions(header));
    }

    /** What both headers ask of a write (PUT, PATCH, DELETE) or of a read of one resource. */
    static Precondition of(String ifMatch, String ifNoneMatch) {
        Precondition matching = ifMatch(ifMatch);
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return matching;
        }
        return matching.noneOf(ifNoneMatch.trim().equals("*"), versions(ifNoneMatch));
    }

    /** Whether an {@code If-None-Match} header names the current version (or is {@code *}). */
    static boolean noneMatchHits(String header, long version) {
        if (header == null || header.isBlank()) {
            return false;
        }
        return header.trim().equals("*") || versions(header).contains(version);
    }

    private static Set<Long> versions(String header) {
        Set<Long> versions = new HashSet<>();
        for (String part : header.split(",")) {
            Matcher m = TAG.matcher(part);
            if (m.matches()) {
                try {
                    versions.add(Long.parseLong(m.group(1)));
                } catch (NumberFormatException e) {
                    // not one of our tags: it can never match
                }
            }
        }
        return versions;
    }
}
