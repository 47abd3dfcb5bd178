package dev.scimserver.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SCIM_TRUSTED_PROXIES and the X-Forwarded-For walk it allows. */
class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse(" 10.0.0.0/8, 192.0.2.10 ,2001:db8:ff::/48 ");

    private static InetAddress address(String literal) {
        return IpLiteral.parse(literal).orElseThrow();
    }

    private static String client(TrustedProxies proxies, String peer, String... forwardedFor) {
        return proxies.clientAddress(address(peer), List.of(forwardedFor)).getHostAddress();
    }

    @Test
    void parsesAddressesAndRangesOfBothFamilies() {
        assertThat(PROXIES).hasToString("10.0.0.0/8, 192.0.2.10, 2001:db8:ff::/48");
        assertThat(PROXIES.trusts(address("10.255.0.1"))).isTrue();
        assertThat(PROXIES.trusts(address("11.0.0.1"))).isFalse();
        assertThat(PROXIES.trusts(address("192.0.2.10"))).isTrue();
        assertThat(PROXIES.trusts(address("192.0.2.11"))).isFalse();
        assertThat(PROXIES.trusts(address("2001:db8:ff:1::1"))).isTrue();
        assertThat(PROXIES.trusts(address("2001:db8:fe::1"))).isFalse();
        assertThat(PROXIES.trusts(address("::ffff:10.1.2.3"))).as("an IPv4-mapped peer is IPv4").isTrue();
        assertThat(TrustedProxies.parse(null).isEmpty()).isTrue();
        assertThat(TrustedProxies.parse("  ").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "10.0.0", "010.0.0.1", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x",
            "2001:db8::/129", "2001:db8:::1", "proxy.internal", "localhost", "10.0.0.1,", ",10.0.0.1",
            "10.0.0.1;10.0.0.2", "fe80::1%eth0", "[::1]/128x"})
    void refusesWhatIsNotAnAddressOrRange(String setting) {
        assertThatThrownBy(() -> TrustedProxies.parse(setting)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'");
    }

    @Test
    void refusesHostBitsAndTrustingEveryone() {
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.5/8"))
                .hasMessageContaining("'10.0.0.5/8'").hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> TrustedProxies.parse("0.0.0.0/0")).hasMessageContaining("every address");
        assertThatThrownBy(() -> TrustedProxies.parse("::/0")).hasMessageContaining("every address");
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(client(TrustedProxies.none(), "10.0.0.1", "203.0.113.7")).isEqualTo("10.0.0.1");
        assertThat(client(PROXIES, "198.51.100.1", "203.0.113.7")).as("the peer is no proxy of ours")
                .isEqualTo("198.51.100.1");
    }

    @Test
    void walksFromTheRightSkippingTrustedProxies() {
        assertThat(client(PROXIES, "10.0.0.1", "203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(client(PROXIES, "10.0.0.1", "203.0.113.7, 10.0.0.2, 192.0.2.10")).isEqualTo("203.0.113.7");
        assertThat(client(PROXIES, "10.0.0.1", "198.51.100.1, 203.0.113.7")).as("spoofed entries to the left")
                .isEqualTo("203.0.113.7");
        assertThat(client(PROXIES, "10.0.0.1", "198.51.100.1", "203.0.113.7, 10.0.0.2"))
                .as("several header lines are one list").isEqualTo("203.0.113.7");
        assertThat(client(PROXIES, "2001:db8:ff::1", "2001:db8:1::5")).isEqualTo("2001:db8:1:0:0:0:0:5");
    }

    @Test
    void readsEntriesWithPorts() {
        assertThat(client(PROXIES, "10.0.0.1", "203.0.113.7:4711")).isEqualTo("203.0.113.7");
        assertThat(client(PROXIES, "10.0.0.1", "[2001:db8:1::5]:4711")).isEqualTo("2001:db8:1:0:0:0:0:5");
    }

    @Test
    void anEntryThatIsNoAddressStopsAtTheLastTrustedHop() {
        assertThat(client(PROXIES, "10.0.0.1", "unknown")).isEqualTo("10.0.0.1");
        assertThat(client(PROXIES, "10.0.0.1", "203.0.113.7, attacker.example, 10.0.0.2")).isEqualTo("10.0.0.2");
        assertThat(client(PROXIES, "10.0.0.1", "")).isEqualTo("10.0.0.1");
    }

    @Test
    void aChainOfTrustedProxiesOnlyEndsAtItsLeftmostAddress() {
        assertThat(client(PROXIES, "10.0.0.1", "10.0.0.3, 10.0.0.2")).isEqualTo("10.0.0.3");
        assertThat(client(PROXIES, "10.0.0.1")).isEqualTo("10.0.0.1");
    }
}
