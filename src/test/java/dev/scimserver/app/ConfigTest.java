package dev.scimserver.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @Test
    void enabledWithoutAnyAuthNamesTheVariables() {
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_ENABLED", "true")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("SCIM_HEADER_AUTH_TOKEN").hasMessageContaining("SCIM_BASIC_AUTH_USER");
    }

    @Test
    void halfABasicPairNamesTheMissingHalf() {
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_BASIC_AUTH_USER", "u",
                "SCIM_HEADER_AUTH_TOKEN", "t")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SCIM_BASIC_AUTH_PASS is missing");
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_BASIC_AUTH_PASS", "p")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SCIM_BASIC_AUTH_USER is missing");
    }

    @Test
    void aBasicUserNameWithAColonCouldNeverSignInAndIsRefused() {
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_BASIC_AUTH_USER", "tool:jet", "SCIM_BASIC_AUTH_PASS", "p")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SCIM_BASIC_AUTH_USER holds ':'");
    }

    @Test
    void blankSecretsAreNoSecrets() {
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN", "  ")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void theEventsKeyIsAmongTheSecretsTheLogWithholdsHoweverItIsPadded() {
        // The decoder takes a key with or without its padding; the log withholds a secret found in a value.
        for (String key : List.of("AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=",
                "AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o")) {
            Config config = Config.from(Map.of("SCIM_EVENTS_SECRET_KEY", key));
            assertThat(config.secrets()).as(key)
                    .anyMatch(secret -> secret != null && secret.length() >= 40 && key.contains(secret));
        }
    }

    @Test
    void disabledNeedsNoAuth() {
        Config config = Config.from(Map.of());
        assertThat(config.scimEnabled()).isFalse();
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.database()).isNull();
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    }

    @Test
    void theLogIsOnForThirtyDaysMetricsOpenAndLinesReadableUnlessSaidOtherwise() {
        assertThat(Config.from(Map.of()).observability()).isEqualTo(new Config.Observability(true, 30, null, false));
        Config.Observability set = Config.from(Map.of("SCIM_LOG_ENABLED", "FALSE", "SCIM_LOG_RETENTION_DAYS", "7",
                "SCIM_METRICS_TOKEN", " m-token ", "LOG_FORMAT", "json")).observability();
        assertThat(set).isEqualTo(new Config.Observability(false, 7, "m-token", true));
        assertThat(set.toString()).doesNotContain("m-token");
        assertThat(Config.from(Map.of("SCIM_METRICS_TOKEN", "  ")).observability().metricsToken()).isNull();
    }

    @Test
    void cursorWalksAreReadAheadUnlessTurnedOff() {
        assertThat(Config.from(Map.of()).cursorReadAhead()).isTrue();
        assertThat(Config.from(Map.of("SCIM_CURSOR_READ_AHEAD", " False ")).cursorReadAhead()).isFalse();
        assertThat(Config.from(Map.of("SCIM_CURSOR_READ_AHEAD", "TRUE")).cursorReadAhead()).isTrue();
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_CURSOR_READ_AHEAD", "off")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SCIM_CURSOR_READ_AHEAD must be true or false, not 'off'");
    }

    @Test
    void observabilitySettingsOutOfTheirRangeStopTheStart() {
        String[][] refused = {{"SCIM_LOG_ENABLED", "yes"}, {"SCIM_LOG_RETENTION_DAYS", "0"},
            {"SCIM_LOG_RETENTION_DAYS", "3651"}, {"SCIM_LOG_RETENTION_DAYS", "a week"}, {"LOG_FORMAT", "xml"}};
        for (String[] setting : refused) {
            assertThatThrownBy(() -> Config.from(Map.of(setting[0], setting[1]))).as(setting[0] + "=" + setting[1])
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith(setting[0]);
        }
    }

    @Test
    void theEventSwitchesAreTrueOrFalseAndNothingElse() {
        assertThat(Config.from(Map.of()).events().allowInsecure()).isFalse();
        Config.Events events = Config.from(Map.of("SCIM_EVENTS_ALLOW_INSECURE", " TRUE ",
                "SCIM_EVENTS_ALLOW_PRIVATE", "true")).events();
        assertThat(events.allowInsecure()).isTrue();
        assertThat(events.allowPrivate()).isTrue();
        for (String name : new String[] {"SCIM_EVENTS_ALLOW_INSECURE", "SCIM_EVENTS_ALLOW_PRIVATE"}) {
            assertThatThrownBy(() -> Config.from(Map.of(name, "yes"))).isInstanceOf(ConfigException.class)
                    .hasMessage(name + " must be true or false, not 'yes'");
        }
    }

    @Test
    void aBlankDataDirIsTheDefaultAndASetOneIsTrimmed() {
        assertThat(Config.from(Map.of("DATA_DIR", "  ")).dataDir()).isEqualTo(Path.of("./data"));
        assertThat(Config.from(Map.of("DATA_DIR", " /var/lib/scim ")).dataDir()).isEqualTo(Path.of("/var/lib/scim"));
    }

    @Test
    void databaseUrlInPostgresForm() {
        Config config = Config.from(Map.of("DATABASE_URL", "postgres://tool%40jet:p%3Ass@db.internal:6543/scim?sslmode=require"));
        assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/scim?sslmode=require");
        assertThat(config.database().user()).isEqualTo("tool@jet");
        assertThat(config.database().password()).isEqualTo("p:ss");
        assertThat(config.toString()).doesNotContain("p:ss");
        // libpq takes the password from the query as well; a description of the configuration keeps no query.
        Config inQuery = Config.from(Map.of("DATABASE_URL", "postgres://db.internal/scim?user=u&password=s3cret"));
        assertThat(inQuery.database().jdbcUrl()).contains("password=s3cret");
        assertThat(inQuery.toString()).doesNotContain("s3cret").contains("jdbc:postgresql://db.internal/scim");
    }

    /** The driver and the pool repeat a URL they cannot use in their messages, password and all. */
    @Test
    void aJdbcUrlTheDriverCannotUseIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> Config.from(Map.of("DATABASE_URL",
                "jdbc:postgresql://appuser:S3cretPw@db.internal:5432/scim")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not before the host")
                .hasMessageNotContaining("S3cretPw");
        assertThatThrownBy(() -> Config.from(Map.of("DATABASE_URL",
                "jdbc:postgresql://h:notaport/db?user=u&PASSWORD=SuperSecretPw")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("the port a number")
                .hasMessageNotContaining("SuperSecretPw");
        // The driver refuses this one with a warning of its own (java.util.logging) that quotes the URL.
        java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql.Driver");
        List<java.util.logging.LogRecord> warned = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler listening = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warned.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        driver.addHandler(listening);
        try {
            assertThatThrownBy(() -> Config.from(Map.of("DATABASE_URL",
                    "jdbc:postgresql://db.internal:5432?user=scim&password=TopSecretPw")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("needs a / after the host and port")
                    .hasMessageNotContaining("TopSecretPw");
        } finally {
            driver.removeHandler(listening);
        }
        assertThat(warned).as("the driver's warnings").isEmpty();
        // An @ in a parameter is no user before the host.
        assertThat(Config.from(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/scim?user=u&password=p@ss"))
                .database().jdbcUrl()).endsWith("password=p@ss");
    }

    /** libpq keeps a '+' of a database name or parameter; the JDBC URL is written so that pgjdbc keeps it too. */
    @Test
    void aPlusInTheDatabaseNameOrAParameterStaysAPlus() {
        String jdbc = Config.from(Map.of("DATABASE_URL", "postgres://u:p@h/my+db?application_name=a+b%20c&sslmode=require"))
                .database().jdbcUrl();
        java.util.Properties read = org.postgresql.Driver.parseURL(jdbc, null);
        assertThat(read.getProperty("PGDBNAME")).isEqualTo("my+db");
        assertThat(read.getProperty("application_name")).isEqualTo("a+b c");
        assertThat(read.getProperty("sslmode")).isEqualTo("require");
    }

    @Test
    void databaseUrlIsReadAsLibpqReadsIt() {
        String[][] read = {
            // url, JDBC URL, user, password
            {"postgres://u:p@h_x/db", "jdbc:postgresql://h_x/db", "u", "p"},
            {"postgresql://u:a+b@db:5432/scim", "jdbc:postgresql://db:5432/scim", "u", "a+b"},
            {"postgres://u:p#w?x@db/scim", "jdbc:postgresql://db/scim", "u", "p#w?x"},
            {"postgres://u:p%2Fw%2B@[::1]:6543/scim?sslmode=require&target_session_attrs=any",
                "jdbc:postgresql://[::1]:6543/scim?sslmode=require&target_session_attrs=any", "u", "p/w+"},
            {"postgres://u@one:5432,two:5433/scim", "jdbc:postgresql://one:5432,two:5433/scim", "u", null},
            {"postgres://db", "jdbc:postgresql://db/postgres", null, null},
            {"postgres://db/scim/extra", "jdbc:postgresql://db/scim", null, null},
            {"postgres://%C3%A9@db/scim", "jdbc:postgresql://db/scim", "\u00e9", null}};
        for (String[] row : read) {
            Config.Database database = Config.from(Map.of("DATABASE_URL", row[0])).database();
            assertThat(database.jdbcUrl()).as(row[0]).isEqualTo(row[1]);
            assertThat(database.user()).as(row[0]).isEqualTo(row[2]);
            assertThat(database.password()).as(row[0]).isEqualTo(row[3]);
        }
    }

    @Test
    void aDatabaseUrlWithoutAUsableHostSaysSoAndSuggestsEncodingThePassword() {
        String[][] refused = {
            {"postgres:///db", "has no host"},
            {"postgres://u:secret@/db", "has no host"},
            {"postgres://u:sec/ret@db/scim", "port that is not"},
            {"postgres://db:99999/scim", "port that is not"},
            {"postgres://one,,two/scim", "host that is not"},
            {"postgres://u:secret%zz@db/scim", "password holds a '%'"}};
        for (String[] row : refused) {
            assertThatThrownBy(() -> Config.from(Map.of("DATABASE_URL", row[0]))).as(row[0])
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("DATABASE_URL")
                    .hasMessageContaining(row[1]).hasMessageContaining("percent-encode")
                    .hasMessageNotContaining("secret").hasMessageNotContaining("sec/ret");
        }
    }

    @Test
    void toolJetPgVariables() {
        Config config = Config.from(Map.of("PG_HOST", "pg", "PG_DB", "tooljet", "PG_USER", "u", "PG_PASS", "p"));
        assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://pg:5432/tooljet");
        assertThatThrownBy(() -> Config.from(Map.of("PG_HOST", "pg"))).hasMessageStartingWith("PG_DB is missing");
    }

    @Test
    void badNumbersNameTheVariable() {
        assertThatThrownBy(() -> Config.from(Map.of("PORT", "eighty"))).hasMessageStartingWith("PORT must be");
        assertThatThrownBy(() -> Config.from(Map.of("PORT", "70000"))).hasMessageStartingWith("PORT must be");
        assertThatThrownBy(() -> Config.from(Map.of("DATABASE_URL", "mysql://x"))).hasMessageStartingWith("DATABASE_URL");
    }

    @Test
    void trustedProxiesAreOffByDefaultAndParsed() {
        assertThat(Config.from(Map.of()).trustedProxies().isEmpty()).isTrue();
        Config config = Config.from(Map.of("SCIM_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32, 192.0.2.10"));
        assertThat(config.trustedProxies()).hasToString("10.0.0.0/8, 2001:db8::/32, 192.0.2.10");
        assertThat(config.toString()).contains("10.0.0.0/8");
    }

    @Test
    void malformedTrustedProxiesStopTheServerNamingTheVariableAndTheEntry() {
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SCIM_TRUSTED_PROXIES")
                .hasMessageContaining("'proxy.internal'");
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_TRUSTED_PROXIES", "10.0.0.0/33")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_TRUSTED_PROXIES", "0.0.0.0/0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("every address");
    }

    @Test
    void thePublicUrlIsAnOriginAndWithoutItEachRequestNamesIt() {
        assertThat(Config.from(Map.of()).publicUrls().isPerRequest()).isTrue();
        Config config = Config.from(Map.of("SCIM_PUBLIC_URL", " https://SCIM.example.com/ "));
        assertThat(config.publicUrls().isPerRequest()).isFalse();
        assertThat(config.publicUrls()).hasToString("https://scim.example.com");
        assertThat(config.toString()).contains("https://scim.example.com");
        for (String bad : new String[] {"scim.example.com", "https://scim.example.com/scim", "ftp://x", "https://x?a=b",
                "https://user@x", "https://exa mple.com", "https://x.example.com:99999", "https://x.example.com:0"}) {
            assertThatThrownBy(() -> Config.from(Map.of("SCIM_PUBLIC_URL", bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("SCIM_PUBLIC_URL");
        }
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_PUBLIC_URL", "https://admin:hunter2@x.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void theAccessTokenLifetimeIsAnHourByDefaultAndReadInSecondsMinutesOrHours() {
        assertThat(Config.from(Map.of()).oauthTokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", "3600")).oauthTokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", "90s")).oauthTokenTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", "60m")).oauthTokenTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", " 2H ")).oauthTokenTtl()).isEqualTo(Duration.ofHours(2));
        for (String bad : new String[] {"1h30m", "-5m", "an hour", "1.5h", "99999999999999999999", "3600ms"}) {
            assertThatThrownBy(() -> Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("SCIM_OAUTH_TOKEN_TTL must be");
        }
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", "59"))).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SCIM_OAUTH_TOKEN_TTL").hasMessageContaining("1 minute and 1 day");
        assertThatThrownBy(() -> Config.from(Map.of("SCIM_OAUTH_TOKEN_TTL", "25h"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("1 minute and 1 day");
    }

    /** A .env that is a directory or a link to nothing was skipped, and what it set silently unset. */
    @Test
    void aDotEnvThatIsNoReadableFileStopsTheStart(@TempDir Path dir) throws IOException {
        Files.createSymbolicLink(dir.resolve(".env"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> Config.variables(dir, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage(".env is no file that can be read (a link to nothing): make it a file, or remove it");
        Files.delete(dir.resolve(".env"));
        Files.createDirectory(dir.resolve(".env"));
        assertThatThrownBy(() -> Config.variables(dir, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("(a directory)");
    }

    @Test
    void dotEnvIsReadAndTheEnvironmentWins(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), """
                # comment
                SCIM_ENABLED=true
                export SCIM_HEADER_AUTH_TOKEN="from-file"
                PORT=9000 # trailing comment
                """);
        Map<String, String> merged = Config.variables(dir, Map.of("PORT", "9100"));
        assertThat(merged).containsEntry("SCIM_ENABLED", "true").containsEntry("SCIM_HEADER_AUTH_TOKEN", "from-file")
                .containsEntry("PORT", "9100");
        assertThat(Config.from(merged).port()).isEqualTo(9100);
    }

    @Test
    void dotEnvValuesAreBareOrQuotedAndMayBeFollowedByAComment() {
        Map<String, String> read = DotEnv.parse(List.of(
                "\uFEFFFIRST=1",
                "SCIM_ADMIN_TOKEN=\"atok\"   # comment",
                "SINGLE='a \\\" #b' # comment",
                "DOUBLE=\"q\\\"x\\\\y\\n\"",
                "  export   SPACED = value with spaces # a comment",
                "EMPTY=",
                "HASH=a#kept",
                "BLANK_COMMENT= # nothing",
                "URL=https://x.example.com/#fragment"));
        assertThat(read).containsExactlyInAnyOrderEntriesOf(Map.of(
                "FIRST", "1",
                "SCIM_ADMIN_TOKEN", "atok",
                "SINGLE", "a \\\" #b",
                "DOUBLE", "q\"x\\y\\n",
                "SPACED", "value with spaces",
                "EMPTY", "",
                "HASH", "a#kept",
                "BLANK_COMMENT", "",
                "URL", "https://x.example.com/#fragment"));
    }

    @Test
    void aDotEnvLineThatIsNoAssignmentIsRefusedByNumberWithoutItsValue() {
        String[][] refused = {
            {"SCIM_ADMIN_TOKEN secret-value", "is not NAME=value"},
            {"1ST=secret-value", "is not NAME=value"},
            {"MY-NAME=secret-value", "is not NAME=value"},
            {"=secret-value", "is not NAME=value"},
            {"TOKEN=\"secret-value", "does not close"},
            {"TOKEN='secret-value", "does not close"},
            {"TOKEN=\"secret-value\\\"", "does not close"},
            {"TOKEN=\"secret\"-value", "after the closing quote"},
            {"TOKEN='secret' value", "after the closing quote"}};
        for (String[] line : refused) {
            assertThatThrownBy(() -> DotEnv.parse(List.of("# first", "", line[0]))).as(line[0])
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith(".env line 3 ")
                    .hasMessageContaining(line[1]).hasMessageNotContaining("secret");
        }
    }

    @Test
    void aDotEnvThatIsNotUtf8IsRefusedNamingTheLine(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(".env"), "PORT=9000\n# caf\u00e9\nSCIM_ENABLED=true\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Config.variables(dir, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage(".env line 2 is not UTF-8 text: save the file as UTF-8");
    }

    /** A file that cannot be read, as root too (whom no mode stops): a directory read as a file. */
    @Test
    void anUnreadableDotEnvIsRefused(@TempDir Path dir) throws IOException {
        Path notAFile = Files.createDirectory(dir.resolve(".env"));
        assertThatThrownBy(() -> DotEnv.read(notAFile)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read ").hasMessageContaining(".env");
    }
}
