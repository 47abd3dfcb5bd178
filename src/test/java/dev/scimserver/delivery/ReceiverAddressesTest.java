package dev.scimserver.delivery;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The addresses a receiver may not be at unless allowed: by address, resolved before every attempt. */
class ReceiverAddressesTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void privateLinkLocalAndSpecialAddressesArePrivate() throws UnknownHostException {
        String[] internal = {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "::1", "fe80::1", "fd00::1", "fc00::2",
                "192.0.0.170", "198.18.0.1", "198.19.255.254", "240.0.0.1", "255.255.255.255",
                "192.0.2.2", "198.51.100.7", "203.0.113.9", "2001:db8::1", "168.63.129.16",
                // IPv4 inside IPv6: NAT64 to the metadata endpoint and to RFC 1918, its local-use
                // prefix, 6to4 of loopback, IPv4-compatible of RFC 1918.
                "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.1", "64:ff9b:1::8.8.8.8", "2002:7f00:1::1", "::10.1.2.3"};
        for (String address : internal) {
            assertThat(ReceiverAddresses.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        }
        String[] external = {"93.184.216.34", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2606:4700::1111",
                "198.20.0.1", "192.0.1.1", "64:ff9b::808:808", "2002:808:808::1", "168.63.129.17", "203.0.114.1",
                "198.51.101.1", "2001:db9::1"};
        for (String address : external) {
            assertThat(ReceiverAddresses.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
        }
    }

    @Test
    void aNameIsJudgedByWhatItResolvesTo() {
        ReceiverAddresses strict = new ReceiverAddresses(false, false);
        // "localhost" is a name, not an address: what it resolves to (loopback) is what is refused.
        assertThat(strict.refusal(URI.create("https://localhost/hook"), WITHIN)).contains("SCIM_EVENTS_ALLOW_PRIVATE");
        assertThat(strict.refusal(URI.create("https://169.254.169.254/latest/meta-data"), WITHIN)).isNotNull();
        assertThat(strict.refusal(URI.create("https://10.0.0.1/hook"), WITHIN)).isNotNull();
        assertThat(new ReceiverAddresses(true, false).refusal(URI.create("https://10.0.0.1/hook"), WITHIN)).isNull();
    }

    @Test
    void anAddressWrittenInTheUrlIsJudgedAtOnceAndANameOnlyAtAnAttempt() {
        ReceiverAddresses strict = new ReceiverAddresses(false, false);
        assertThat(strict.literalRefusal(URI.create("https://169.254.169.254/latest/meta-data"))).isNotNull();
        assertThat(strict.literalRefusal(URI.create("https://[fd00::1]/hook"))).isNotNull();
        // Loopback written as resolvers also read it: one number, or hex parts.
        assertThat(strict.literalRefusal(URI.create("https://2130706433/x"))).isNotNull();
        assertThat(strict.literalRefusal(URI.create("https://0x7f000001/x"))).isNotNull();
        assertThat(strict.literalRefusal(URI.create("https://1.example/x"))).as("a name").isNull();
        // Names that are loopback by definition (RFC 6761 §6.3): no DNS can make them anything else.
        assertThat(strict.literalRefusal(URI.create("https://localhost/hook"))).contains("SCIM_EVENTS_ALLOW_PRIVATE");
        assertThat(strict.literalRefusal(URI.create("https://LocalHost./hook"))).isNotNull();
        assertThat(strict.literalRefusal(URI.create("https://app.localhost/hook"))).isNotNull();
        assertThat(strict.literalRefusal(URI.create("https://localhost.example/hook"))).as("a name").isNull();
        assertThat(new ReceiverAddresses(true, false).literalRefusal(URI.create("https://localhost/hook"))).isNull();
        assertThat(strict.literalRefusal(URI.create("https://93.184.215.14/hook"))).isNull();
        assertThat(new ReceiverAddresses(false, true).literalRefusal(URI.create("http://127.0.0.1:8080/hook")))
                .isNull();
    }

    @Test
    void loopbackIsForDevelopmentAndPlainHttpGoesNowhereElse() {
        ReceiverAddresses insecure = new ReceiverAddresses(false, true);
        assertThat(insecure.refusal(URI.create("http://127.0.0.1:8080/hook"), WITHIN)).isNull();
        assertThat(insecure.refusal(URI.create("https://10.0.0.1/hook"), WITHIN)).isNotNull();
        assertThat(new ReceiverAddresses(true, true).refusal(URI.create("http://10.0.0.1/hook"), WITHIN))
                .contains("loopback");
    }

    @Test
    void aNameServerThatStaysSilentRefusesTheAttemptAtItsDeadline() {
        CountDownLatch released = new CountDownLatch(1);
        ReceiverAddresses silent = new ReceiverAddresses(false, false, host -> {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {InetAddress.getByName("93.184.215.14")};
        });
        try {
            assertThat(silent.refusal(URI.create("https://hooks.example/x"), Duration.ofMillis(50)))
                    .isEqualTo("the receiver's name did not resolve within 50 ms");
        } finally {
            released.countDown();
        }
        ReceiverAddresses failing = new ReceiverAddresses(false, false, host -> {
            throw new UnknownHostException(host);
        });
        assertThat(failing.refusal(URI.create("https://hooks.example/x"), WITHIN))
                .isEqualTo("the receiver's name does not resolve");
    }
}
