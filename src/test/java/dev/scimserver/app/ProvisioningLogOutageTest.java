package dev.scimserver.app;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away while requests that need none of it are served (discovery, with the
 * environment's token): each is answered as before, and the log entries the writer cannot store are
 * counted as lost, never passed on to an answer.
 */
@Tag("slow")
class ProvisioningLogOutageTest {
    private static final Pattern LOST = Pattern.compile(
            "scim_provisioning_log_losses_total\\{cause=\"entries_lost\"} ([0-9.]+)");
    private final RunningServer shared = RunningServer.shared();

    @Test
    void aDatabaseOutageLosesLogEntriesAndNoScimAnswer() throws Exception {
        try (TcpProxy proxy = TcpProxy.inFrontOf(shared.jdbcUrl()); ScimServer server = proxy.startServer()) {
            String base = "http://localhost:" + server.port();
            assertThat(shared.send("GET", base + "/api/scim/v2/ServiceProviderConfig", null).statusCode())
                    .isEqualTo(200);
            assertThat(lost(base)).isZero();

            proxy.cut();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> answer = shared.send("GET", base + "/api/scim/v2/ServiceProviderConfig", null);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
            double lost = 0;
            for (int attempt = 0; attempt < 100 && lost == 0; attempt++) {
                lost = lost(base);
                if (lost == 0) {
                    Thread.sleep(200);
                }
            }
            assertThat(lost).as("entries the writer could not store are counted").isPositive();
            proxy.restore();
        }
    }

    private double lost(String base) {
        HttpResponse<String> scrape = shared.send("GET", base + "/metrics", null, Map.of());
        Matcher matcher = LOST.matcher(scrape.body());
        assertThat(matcher.find()).as(scrape.body()).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
