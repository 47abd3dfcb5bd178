package dev.scimserver.http.console;

import gg.jte.TemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;

/**
 * jte's escaping, and in an element's text the characters that reorder the text around them (Unicode's
 * Bidi_Control: U+202E, the right-to-left override, and its kin) written as their code points: an IdP
 * may send a userName {@code "invoice\u202Efdp.exe"}, which a browser shows as "invoiceexe.pdf", and an
 * operator must see the name that was sent. Attribute values are left whole: a form field's value is
 * sent back as it is, and a link's id must still name its resource.
 */
final class ConsoleHtmlOutput extends OwaspHtmlTemplateOutput {
    private boolean inText = true;

    ConsoleHtmlOutput(TemplateOutput output) {
        super(output);
    }

    @Override
    public void setContext(String tagName, String attributeName) {
        inText = attributeName == null;
        super.setContext(tagName, attributeName);
    }

    @Override
    public void writeUserContent(String value) {
        super.writeUserContent(inText && value != null ? shown(value) : value);
    }

    private static String shown(String text) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isBidiControl(c)) {
                if (shown == null) {
                    shown = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                shown.append(String.format("[U+%04X]", (int) c));
            } else if (shown != null) {
                shown.append(c);
            }
        }
        return shown == null ? text : shown.toString();
    }

    /** Unicode's Bidi_Control characters. */
    static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
