package dev.scimserver.app;

import dev.scimserver.access.PublicUrls;
import dev.scimserver.access.SigningKeys;
import dev.scimserver.access.TrustedProxies;
import dev.scimserver.http.scim.ScimApi;
import dev.scimserver.scim.AsciiDigits;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's settings, read from environment variables and an optional {@code .env} file (the
 * environment wins). Every inconsistency is refused here, before anything starts.
 */
public record Config(boolean scimEnabled, String basicUser, String basicPassword, String headerToken, int port,
                     Database database, Path dataDir, int poolSize, int rateLimit, TrustedProxies trustedProxies,
                     String adminToken, PublicUrls publicUrls, Duration oauthTokenTtl, Events events,
                     Observability observability, boolean cursorReadAhead) {

    /**
     * Every secret set here, as the environment gives it: the provisioning log withholds each wherever a
     * client sends it ({@code ConfiguredSecrets}). Null for what is not set. The events key is given in
     * base64 with or without its padding: without it, it is found in either. The database's password
     * is the open database's to tell (the embedded one's is made on its first start, an external one's
     * may stand in its URL).
     */
    public List<String> secrets() {
        return Arrays.asList(basicPassword, headerToken, adminToken, observability.metricsToken(),
                events.secretKey() == null ? null
                        : Base64.getEncoder().withoutPadding().encodeToString(events.secretKey()));
    }

    /** The largest {@code SCIM_RATE_LIMIT}: beyond it a limit protects nothing a pool of 500 could serve. */
    static final int MAX_RATE_LIMIT = 100_000;
    /** {@code SCIM_OAUTH_TOKEN_TTL}: whole seconds, or a number with {@code s}, {@code m} or {@code h}. */
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smh]?)");

    /**
     * What the server records and shows of itself: the provisioning log on or off
     * ({@code SCIM_LOG_ENABLED}), how many days it keeps ({@code SCIM_LOG_RETENTION_DAYS}), the token
     * that opens {@code /metrics} ({@code SCIM_METRICS_TOKEN}, {@code null}: open), and the format of
     * the process's own log lines ({@code LOG_FORMAT}: {@code text} or {@code json}).
     */
    public record Observability(boolean logEnabled, int logRetentionDays, String metricsToken, boolean jsonLogs) {
        @Override
        public String toString() {
            return "Observability[log=" + (logEnabled ? logRetentionDays + " days" : "off") + ", metrics token="
                    + (metricsToken == null ? "unset" : "set") + ", logs=" + (jsonLogs ? "json" : "text") + "]";
        }
    }

    /** An external PostgreSQL; {@code null} for the embedded one. */
    public record Database(String jdbcUrl, String user, String password) {
        /** Without the URL's query, which may carry the password (libpq's and pgjdbc's {@code password=}). */
        @Override
        public String toString() {
            int query = jdbcUrl.indexOf('?');
            return "Database[" + (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…") + ", user=" + user + "]";
        }
    }

    /**
     * Event delivery: {@code allowInsecure} lets receivers be plain http on loopback (development),
     * {@code allowPrivate} lets them be at private and link-local addresses; finished deliveries are kept
     * {@code retention}; {@code secretKey} (32 bytes, or {@code null}) seals the webhook secrets.
     */
    public record Events(boolean allowInsecure, boolean allowPrivate, Duration retention, byte[] secretKey) {
        @Override
        public String toString() {
            return "Events[allowInsecure=" + allowInsecure + ", allowPrivate=" + allowPrivate + ", retention="
                    + retention + ", secretKey=" + (secretKey == null ? "none" : "set") + "]";
        }
    }

    @Override
    public String toString() {
        return "Config[enabled=" + scimEnabled + ", port=" + port + ", database=" + database + ", rateLimit="
                + rateLimit + ", trustedProxies=" + trustedProxies + ", publicUrl=" + publicUrls + ", oauthTokenTtl="
                + oauthTokenTtl + ", events=" + events + ", " + observability + ", cursorReadAhead=" + cursorReadAhead
                + "]";
    }

    /** The variables of {@code .env} in {@code directory}, overridden by {@code environment}. */
    public static Map<String, String> variables(Path directory, Map<String, String> environment) {
        Map<String, String> merged = new HashMap<>();
        Path dotEnv = directory.resolve(".env");
        if (Files.isRegularFile(dotEnv)) {
            merged.putAll(DotEnv.read(dotEnv));
        } else if (Files.exists(dotEnv, LinkOption.NOFOLLOW_LINKS)) {
            // A link to nothing, or a directory: what it was meant to set would be silently unset.
            throw new ConfigException(".env is no file that can be read (" + (Files.isDirectory(dotEnv)
                    ? "a directory" : Files.isSymbolicLink(dotEnv) ? "a link to nothing" : "not a regular file")
                    + "): make it a file, or remove it");
        }
        merged.putAll(environment);
        return merged;
    }

    public static Config from(Map<String, String> env) {
        boolean enabled = "true".equalsIgnoreCase(trimmed(env, "SCIM_ENABLED"));
        String user = trimmed(env, "SCIM_BASIC_AUTH_USER");
        String password = env.get("SCIM_BASIC_AUTH_PASS");
        String token = env.get("SCIM_HEADER_AUTH_TOKEN");
        boolean hasUser = user != null && !user.isEmpty();
        boolean hasPassword = password != null && !password.isBlank();
        if (hasUser && !hasPassword) {
            throw new ConfigException("SCIM_BASIC_AUTH_PASS is missing: SCIM_BASIC_AUTH_USER is set, and Basic "
                    + "authentication needs both");
        }
        if (hasPassword && !hasUser) {
            throw new ConfigException("SCIM_BASIC_AUTH_USER is missing: SCIM_BASIC_AUTH_PASS is set, and Basic "
                    + "authentication needs both");
        }
        if (hasUser && user.indexOf(':') >= 0) {
            // Every request with the right pair would be refused, and spend an attempt of the throttle.
            throw new ConfigException("SCIM_BASIC_AUTH_USER holds ':', which no Basic user name can (RFC 7617: "
                    + "the user name ends at the first colon); choose a name without one");
        }
        boolean hasToken = token != null && !token.isBlank();
        if (enabled && !hasUser && !hasToken) {
            throw new ConfigException("SCIM_ENABLED is true but no authentication is configured: set "
                    + "SCIM_HEADER_AUTH_TOKEN, or SCIM_BASIC_AUTH_USER and SCIM_BASIC_AUTH_PASS");
        }
        TrustedProxies trustedProxies = trustedProxies(env);
        return new Config(enabled, hasUser ? user : null, hasPassword ? password : null, hasToken ? token.trim() : null,
                integer(env, "PORT", 8080, 0, 65535), database(env),
                dataDir(env), integer(env, "DATABASE_POOL_SIZE", 10, 1, 500),
                integer(env, "SCIM_RATE_LIMIT", 0, 0, MAX_RATE_LIMIT), trustedProxies, secret(env, "SCIM_ADMIN_TOKEN"),
                publicUrls(env, trustedProxies), oauthTokenTtl(env), events(env), observability(env),
                flag(env, "SCIM_CURSOR_READ_AHEAD", true));
    }

    /** {@code DATA_DIR}, trimmed; unset or blank is {@code ./data}, never the working directory itself. */
    private static Path dataDir(Map<String, String> env) {
        String value = trimmed(env, "DATA_DIR");
        return Path.of(value == null || value.isEmpty() ? "./data" : value);
    }

    private static Events events(Map<String, String> env) {
        byte[] key = null;
        String encoded = secret(env, "SCIM_EVENTS_SECRET_KEY");
        if (encoded != null) {
            try {
                key = Base64.getDecoder().decode(encoded);
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (key.length != 32) {
                throw new ConfigException("SCIM_EVENTS_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)");
            }
        }
        return new Events(flag(env, "SCIM_EVENTS_ALLOW_INSECURE", false), flag(env, "SCIM_EVENTS_ALLOW_PRIVATE", false),
                Duration.ofDays(integer(env, "SCIM_EVENTS_RETENTION_DAYS", 7, 1, 3650)), key);
    }

    /** A switch: {@code true} or {@code false} in any case; unset or blank is {@code unset}. */
    private static boolean flag(Map<String, String> env, String name, boolean unset) {
        String value = trimmed(env, name);
        if (value == null || value.isEmpty()) {
            return unset;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new ConfigException(name + " must be true or false, not '" + value + "'");
        }
        return value.equalsIgnoreCase("true");
    }

    private static Observability observability(Map<String, String> env) {
        boolean log = flag(env, "SCIM_LOG_ENABLED", true);
        String format = trimmed(env, "LOG_FORMAT");
        if (format != null && !format.isEmpty() && !format.equalsIgnoreCase("text") && !format.equalsIgnoreCase("json")) {
            throw new ConfigException("LOG_FORMAT must be text or json, not '" + format + "'");
        }
        return new Observability(log,
                integer(env, "SCIM_LOG_RETENTION_DAYS", 30, 1, 3650), secret(env, "SCIM_METRICS_TOKEN"),
                jsonLogs(env));
    }

    /**
     * Whether {@code LOG_FORMAT} asks for JSON lines, read on its own: {@code Main} switches the format
     * before the rest of the configuration is checked, so that the line refusing it is JSON too.
     */
    static boolean jsonLogs(Map<String, String> env) {
        String format = trimmed(env, "LOG_FORMAT");
        return format != null && format.equalsIgnoreCase("json");
    }

    /** A secret from the environment, trimmed; unset or blank is none ({@code null}). */
    private static String secret(Map<String, String> env, String name) {
        String value = trimmed(env, name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code SCIM_PUBLIC_URL}, the origin clients reach the server at; unset, each request names it. */
    private static PublicUrls publicUrls(Map<String, String> env, TrustedProxies trustedProxies) {
        String url = trimmed(env, "SCIM_PUBLIC_URL");
        if (url == null || url.isEmpty()) {
            return PublicUrls.perRequest(ScimApi.BASE_PATH, trustedProxies);
        }
        try {
            return PublicUrls.configured(new URI(url), ScimApi.BASE_PATH);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ConfigException("SCIM_PUBLIC_URL must be the server's public origin, such as "
                    + "https://scim.example.com (scheme, host, optional port from 1 to 65535; no path), not '"
                    + url.replaceFirst("//[^/@]*@", "//…@") + "'");
        }
    }

    private static Duration oauthTokenTtl(Map<String, String> env) {
        String value = trimmed(env, "SCIM_OAUTH_TOKEN_TTL");
        if (value == null || value.isEmpty()) {
            return Duration.ofHours(1);
        }
        Matcher matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new ConfigException("SCIM_OAUTH_TOKEN_TTL must be a duration in seconds, or with the unit s, m "
                    + "or h, such as 3600, 60m or 1h, not '" + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration ttl = switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
        try {
            return SigningKeys.checkedLifetime(ttl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("SCIM_OAUTH_TOKEN_TTL: " + e.getMessage());
        }
    }

    private static TrustedProxies trustedProxies(Map<String, String> env) {
        try {
            return TrustedProxies.parse(env.get("SCIM_TRUSTED_PROXIES"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("SCIM_TRUSTED_PROXIES: " + e.getMessage() + " (expected IP addresses and CIDR "
                    + "ranges separated by commas, such as 10.0.0.0/8, 2001:db8::/32)");
        }
    }

    private static Database database(Map<String, String> env) {
        String url = trimmed(env, "DATABASE_URL");
        if (url != null && !url.isEmpty()) {
            return fromUrl(url);
        }
        String host = trimmed(env, "PG_HOST");
        if (host == null || host.isEmpty()) {
            return null;
        }
        String db = trimmed(env, "PG_DB");
        if (db == null || db.isEmpty()) {
            throw new ConfigException("PG_DB is missing: PG_HOST is set, so the database name is needed too");
        }
        int port = integer(env, "PG_PORT", 5432, 1, 65535);
        return new Database("jdbc:postgresql://" + host + ":" + port + "/" + db, trimmed(env, "PG_USER"),
                env.get("PG_PASS"));
    }

    /** {@code postgres[ql]://user:pass@host:port/db?…} or a JDBC URL with credentials in its parameters. */
    private static Database fromUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new Database(readableJdbcUrl(url), null, null);
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new ConfigException("DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql:");
        }
        return DatabaseUrl.parse(url);
    }

    /**
     * A JDBC URL the driver reads, its refusal never quoting it: the driver's own messages, and the
     * pool's, repeat the URL, password and all. A user and password before the host (the form of a
     * postgres:// URL, a common slip) are no JDBC URL's: the driver took them for a host name, and
     * the message that it could not reach that host printed the password.
     */
    private static String readableJdbcUrl(String url) {
        String rest = url.substring("jdbc:postgresql:".length());
        if (rest.startsWith("//")) {
            int end = rest.length();
            for (char stop : new char[] {'/', '?'}) {
                int at = rest.indexOf(stop, 2);
                end = at < 0 ? end : Math.min(end, at);
            }
            if (rest.substring(2, end).contains("@")) {
                throw new ConfigException("DATABASE_URL: a jdbc:postgresql: URL names its user and password in its "
                        + "parameters (jdbc:postgresql://host:port/database?user=…&password=…), not before the host "
                        + "as a postgres:// URL does");
            }
            // Checked here: the driver refuses it too, but with a warning of its own that quotes the URL.
            if (end == rest.length() || rest.charAt(end) != '/') {
                throw new ConfigException("DATABASE_URL: a jdbc:postgresql:// URL needs a / after the host and port, "
                        + "before the database and the parameters (jdbc:postgresql://host:port/database?…)");
            }
        }
        if (org.postgresql.Driver.parseURL(url, null) == null) {
            throw new ConfigException("DATABASE_URL is no JDBC URL the PostgreSQL driver reads (not repeated here, as it "
                    + "may hold a password): jdbc:postgresql://host:port/database?user=…&password=…, the port a number");
        }
        return url;
    }

    private static String trimmed(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null ? null : value.trim();
    }

    /**
     * The whole number {@code name} gives, trimmed, from {@code min} to {@code max}; unset or blank is
     * {@code fallback}. Also how the {@code admin} command reads {@code PORT}, as the server does.
     */
    static int integer(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = trimmed(env, name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = AsciiDigits.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(name + " must be between " + min + " and " + max + ", not " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, not '" + value + "'");
        }
    }
}
