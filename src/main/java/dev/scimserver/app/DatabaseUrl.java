package dev.scimserver.app;

import dev.scimserver.scim.AsciiDigits;
import dev.scimserver.scim.PercentEscapes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code DATABASE_URL} in libpq's URI form, {@code postgres[ql]://[user[:password]@][host[:port][,...]][/db][?...]},
 * as a JDBC URL and credentials. Read by hand as libpq reads it, not with {@link java.net.URI}: that
 * finds no host in names with an underscore (docker-compose service names) or behind a password
 * holding an unencoded {@code #}, and a {@code +} of a password is a {@code +}, not a space.
 */
final class DatabaseUrl {
    /** A host name or a bracketed IPv6 literal, then an optional port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\[\\]:/?#@\\s]+)(?::(.*))?");
    private static final String ENCODE_HINT = " (percent-encode special characters of the user and password, "
            + "such as %40 for @, %2F for / and %25 for %)";

    private DatabaseUrl() {
    }

    /** {@code url} with its scheme {@code postgres://} or {@code postgresql://}. */
    static Config.Database parse(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        // As libpq: the credentials are what comes before the first '@' that precedes any '/'.
        int at = endOf(rest, "@/");
        String user = null;
        String password = null;
        if (at < rest.length() && rest.charAt(at) == '@') {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = decoded(colon < 0 ? userInfo : userInfo.substring(0, colon), "user");
            password = colon < 0 ? null : decoded(userInfo.substring(colon + 1), "password");
            rest = rest.substring(at + 1);
        }
        int hostsEnd = endOf(rest, "/?");
        List<String> hosts = hosts(rest.substring(0, hostsEnd));
        rest = rest.substring(hostsEnd);
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = jdbcQuery(rest.substring(question + 1));
            rest = rest.substring(0, question);
        }
        String path = rest.startsWith("/") ? rest.substring(1) : rest;
        String database = decoded(path.substring(0, endOf(path, "/")), "database name");
        return new Config.Database("jdbc:postgresql://" + String.join(",", hosts) + "/"
                + jdbcEncoded(database.isEmpty() ? "postgres" : database) + query,
                user == null || user.isEmpty() ? null : user, password);
    }

    /**
     * The parameters as libpq reads them, written as pgjdbc reads them: pgjdbc decodes its URL's
     * database name and values as a form would, a {@code +} becoming a space.
     */
    private static String jdbcQuery(String query) {
        StringBuilder out = new StringBuilder();
        for (String parameter : query.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            String name = decoded(eq < 0 ? parameter : parameter.substring(0, eq), "parameter");
            String value = eq < 0 ? "" : decoded(parameter.substring(eq + 1), "parameter");
            out.append(out.isEmpty() ? "?" : "&").append(jdbcEncoded(name)).append('=').append(jdbcEncoded(value));
        }
        return out.toString();
    }

    private static String jdbcEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The index of the first of {@code stops} in {@code text}, else its length. */
    private static int endOf(String text, String stops) {
        for (int i = 0; i < text.length(); i++) {
            if (stops.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static List<String> hosts(String authority) {
        if (authority.isEmpty()) {
            throw new ConfigException("DATABASE_URL has no host: write postgres://user:password@host:5432/db"
                    + ENCODE_HINT);
        }
        List<String> hosts = new ArrayList<>();
        for (String host : authority.split(",", -1)) {
            Matcher matcher = HOST.matcher(host);
            if (!matcher.matches()) {
                throw new ConfigException("DATABASE_URL has a host that is not a host name, an IPv4 address or an "
                        + "IPv6 address in brackets, with an optional :port" + ENCODE_HINT);
            }
            String port = matcher.group(2);
            if (port != null && !isPort(port)) {
                throw new ConfigException("DATABASE_URL has a port that is not a whole number from 1 to 65535"
                        + ENCODE_HINT);
            }
            hosts.add(host);
        }
        return hosts;
    }

    private static boolean isPort(String text) {
        try {
            int port = AsciiDigits.parseInt(text);
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String decoded(String encoded, String part) {
        if (PercentEscapes.firstMalformed(encoded) >= 0) {
            throw new ConfigException("DATABASE_URL's " + part + " holds a '%' that starts no escape" + ENCODE_HINT);
        }
        return new String(PercentEscapes.decodeComponent(encoded.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }
}
