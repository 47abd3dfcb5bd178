import dev.scimserver.access.ApiTokens;
import dev.scimserver.access.NewApiToken;
import dev.scimserver.access.NewOAuthClient;
import dev.scimserver.access.OAuthClients;
import dev.scimserver.store.Database;
import dev.scimserver.store.PostgresCredentialStore;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a credential costs a request: the lookup by userName, the same targets, authenticated three
 * ways in the same minute. The environment's token is compared with a digest and never looked up; a
 * workspace's stored API token is looked up by its digest, then answered from memory for a few
 * seconds; an OAuth access token (RS256 JWT) has its signature checked once, then is remembered
 * until it expires (its issuer, audience and key still checked on every use). The three are
 * measured in interleaved rounds, and each stored credential's rounds together are compared with
 * the environment token's rounds together (target: at least 90% of its throughput).
 */
final class CredentialLookups {
    private final Settings settings;
    private final LoadedDataSet data;
    private final LoadDriver driver;
    private final ResultsTable results;

    CredentialLookups(Settings settings, LoadedDataSet data, LoadDriver driver, ResultsTable results) {
        this.settings = settings;
        this.data = data;
        this.driver = driver;
        this.results = results;
    }

    void run() throws Exception {
        try (Database database = Database.external(settings.jdbcUrl, settings.dbUser, settings.dbPassword, 2)) {
            PostgresCredentialStore store = new PostgresCredentialStore(database.dataSource());
            ApiTokens tokens = new ApiTokens(store, Clock.systemUTC());
            OAuthClients clients = new OAuthClients(store, Clock.systemUTC());
            NewApiToken token = tokens.create(data.workspace, "bench " + settings.runId, null);
            NewOAuthClient client = clients.register(data.workspace, "bench " + settings.runId, null);
            try {
                measureInRounds(List.of(
                        new Credential("environment token", ServerUnderTest.TOKEN),
                        new Credential("stored API token", token.secret()),
                        new Credential("OAuth access token (RS256 JWT)", accessToken(client))));
            } finally {
                tokens.revoke(data.workspace, token.token().id());
                clients.delete(data.workspace, client.client().id());
            }
        }
    }

    private record Credential(String name, String bearer) {
    }

    /**
     * Every credential once per round ({@link InterleavedRounds}). A round's row is printed as
     * measured; the rows of all rounds make one row per credential, which the targets judge.
     */
    private void measureInRounds(List<Credential> credentials) throws Exception {
        int rounds = Integer.parseInt(Settings.env("BENCH_AUTH_ROUNDS", "3"));
        // The server was warmed on the environment token only: each credential's own path (the token
        // cache, the checked JWTs) is warmed too, unmeasured, or the first round measures the JIT.
        for (Credential credential : credentials) {
            driver.warmGet(credential.name(), credential.bearer(), CredentialLookups::lookupTarget,
                    (int) Math.ceil(settings.seconds));
        }
        Map<Credential, List<Row>> measured = new LinkedHashMap<>();
        InterleavedRounds.run(credentials, rounds, (credential, round) -> measured
                .computeIfAbsent(credential, c -> new ArrayList<>())
                .add(lookup(credential.name() + ", round " + round, credential.bearer())));
        Row baseline = null;
        for (Map.Entry<Credential, List<Row>> rows : measured.entrySet()) {
            Row all = Row.combined("auth: lookup userName eq by " + rows.getKey().name() + " (wrk, "
                    + rounds + " rounds)", rows.getValue());
            if (baseline == null) {
                baseline = all;
            } else {
                all.baselines = List.of(baseline);
            }
            results.add(all);
        }
    }

    private Row lookup(String credential, String bearer) throws Exception {
        return driver.wrkGet("auth: lookup userName eq by " + credential + " (wrk)", bearer,
                CredentialLookups::lookupTarget,
                r -> r.status() == 200 && r.text().contains("\"totalResults\":1,"));
    }

    private static String lookupTarget(int user) {
        return "/Users?filter=" + RawHttp.encode("userName eq \"" + DataSet.userName(user) + "\"");
    }

    /** From the token endpoint, at the origin wrk reaches: a token's audience is the URL it was issued at. */
    private String accessToken(NewOAuthClient client) throws Exception {
        String basic = Base64.getEncoder().encodeToString((form(client.client().clientId()) + ":"
                + form(client.secret().value())).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + settings.port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("no access token: " + response.statusCode() + " " + response.body());
        }
        return DataSet.JSON.readTree(response.body()).path("access_token").asText();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
