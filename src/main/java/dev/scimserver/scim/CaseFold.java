package dev.scimserver.scim;

/**
 * Case-insensitive names as the database compares them (scim_fold, V12: PostgreSQL's lower()): each
 * code point lowered on its own. String.toLowerCase applies the full mapping instead, which turns a
 * dotted capital I into two characters and a word-final capital sigma into a final sigma, so Java and
 * SQL would disagree on whether two names are the same.
 */
public final class CaseFold {
    private CaseFold() {
    }

    public static String of(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        text.codePoints().map(Character::toLowerCase).forEach(folded::appendCodePoint);
        return folded.toString();
    }
}
