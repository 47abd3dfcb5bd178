package dev.scimserver.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code .env} format: {@code [export ]NAME=value} lines and {@code #} comments. A value is bare
 * (up to a whitespace followed by {@code #}), in single quotes (literal), or in double quotes (where
 * {@code \"} and {@code \\} are escapes). Any other line is refused, naming its number and never its
 * value, which may be a secret: a line silently dropped would start the server without a setting its
 * operator believes it has.
 */
final class DotEnv {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern COMMENT = Pattern.compile("\\s#");
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private DotEnv() {
    }

    /** The variables of the UTF-8 file {@code file}. */
    static Map<String, String> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (AccessDeniedException e) {
            throw new ConfigException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(utf8(bytes).lines().toList());
    }

    private static String utf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            // The decoder stops at the first byte it cannot read: the lines before it are whole.
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(".env line " + line + " is not UTF-8 text: save the file as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i == 0 && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq < 0 || !NAME.matcher(line.substring(0, eq).strip()).matches()) {
                throw new ConfigException(".env line " + (i + 1) + " is not NAME=value with a NAME of letters, "
                        + "digits and _ that does not start with a digit");
            }
            out.put(line.substring(0, eq).strip(), value(line.substring(eq + 1), i + 1));
        }
        return out;
    }

    /** The value that {@code afterEquals}, the rest of line {@code number} after its {@code =}, writes. */
    private static String value(String afterEquals, int number) {
        String text = afterEquals.strip();
        char quote = text.isEmpty() ? 0 : text.charAt(0);
        if (quote != '"' && quote != '\'') {
            Matcher comment = COMMENT.matcher(afterEquals);
            return (comment.find() ? afterEquals.substring(0, comment.start()) : afterEquals).strip();
        }
        StringBuilder value = new StringBuilder();
        int i = 1;
        for (; i < text.length() && text.charAt(i) != quote; i++) {
            if (quote == '"' && text.charAt(i) == '\\' && i + 1 < text.length()
                    && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                i++;
            }
            value.append(text.charAt(i));
        }
        if (i == text.length()) {
            throw new ConfigException(".env line " + number + " opens a quote (" + quote + ") it does not close");
        }
        String rest = text.substring(i + 1).strip();
        if (!rest.isEmpty() && !rest.startsWith("#")) {
            throw new ConfigException(".env line " + number + " has text after the closing quote (" + quote
                    + "): only a # comment may follow it");
        }
        return value.toString();
    }
}
