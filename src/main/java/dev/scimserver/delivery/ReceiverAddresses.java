package dev.scimserver.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Which addresses a receiver may be at. Refused unless {@code SCIM_EVENTS_ALLOW_PRIVATE}: private
 * (RFC 1918, unique-local fc00::/7, shared 100.64/10), link-local (the cloud metadata endpoints among
 * them) and Azure's platform address, any-local, multicast, reserved, documentation and special-purpose
 * ranges, and IPv6 addresses that carry one of these IPv4 addresses (NAT64, 6to4); loopback unless
 * private ones or {@code SCIM_EVENTS_ALLOW_INSECURE} (development) are allowed. Plain {@code http} goes
 * to loopback only.
 *
 * <p>Every address the name has is checked just before the attempt. The JVM keeps a resolved name for
 * 30 seconds ({@code networkaddress.cache.ttl}), so the HTTP client's own lookup a moment later gets the
 * addresses checked here: a name re-pointed in between (DNS rebinding) has to outlast that cache.
 */
final class ReceiverAddresses {
    /**
     * An IPv4 address as resolvers read one: one to four parts, each decimal, octal or hex
     * ({@code 2130706433} and {@code 0x7f000001} are 127.0.0.1). No host name is made of such parts only.
     */
    private static final Pattern IPV4_LITERAL = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}",
            Pattern.CASE_INSENSITIVE);

    /**
     * Where names are looked up: the system's resolver has no deadline of its own (the C library's
     * tries and name servers can add up to half a minute), so a lookup runs here and the attempt waits
     * for it only until its deadline. A lookup left behind ends with the resolver's own timeout.
     */
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "receiver-lookup");
        thread.setDaemon(true);
        return thread;
    });

    /** How a name becomes its addresses. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] addresses(String host) throws UnknownHostException;
    }

    /** A literal is parsed, not looked up; one that does not parse (999.1.1.1) is a name, asked within this. */
    private static final Duration LITERAL_LOOKUP = Duration.ofSeconds(5);

    private final boolean allowPrivate;
    private final boolean allowInsecure;
    private final Lookup lookup;

    ReceiverAddresses(boolean allowPrivate, boolean allowInsecure) {
        this(allowPrivate, allowInsecure, InetAddress::getAllByName);
    }

    ReceiverAddresses(boolean allowPrivate, boolean allowInsecure, Lookup lookup) {
        this.allowPrivate = allowPrivate;
        this.allowInsecure = allowInsecure;
        this.lookup = lookup;
    }

    /**
     * Why {@code url} may not be called now, or {@code null} when it may; a name that does not resolve
     * {@code within} the time given is refused, so that an attempt cannot outlive the lease on its
     * deliveries while a name server stays silent.
     */
    String refusal(URI url, Duration within) {
        String host = url.getHost();
        if (host == null) {
            return "the URL has no host";
        }
        InetAddress[] addresses;
        Future<InetAddress[]> resolving = LOOKUPS.submit(() -> lookup.addresses(host));
        try {
            addresses = resolving.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return e.getCause() instanceof UnknownHostException ? "the receiver's name does not resolve"
                    : "the receiver's name could not be looked up: " + e.getCause().getClass().getSimpleName();
        } catch (TimeoutException e) {
            resolving.cancel(true);
            return "the receiver's name did not resolve within "
                    + (within.toMillis() < 1000 ? within.toMillis() + " ms" : within.toSeconds() + " s");
        } catch (InterruptedException e) {
            resolving.cancel(true);
            Thread.currentThread().interrupt();
            return "interrupted while the receiver's name was looked up";
        }
        return refusal(url, addresses);
    }

    private String refusal(URI url, InetAddress[] addresses) {
        boolean plain = "http".equals(url.getScheme().toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            if (plain && !address.isLoopbackAddress()) {
                return "http is allowed to loopback addresses only";
            }
            if (address.isLoopbackAddress() ? !(allowPrivate || allowInsecure) : !allowPrivate && isPrivate(address)) {
                return "the receiver resolves to a private, loopback or link-local address, which "
                        + "SCIM_EVENTS_ALLOW_PRIVATE does not allow";
            }
        }
        return null;
    }

    /**
     * Why {@code url} can never be called, judged from an address written in it or a name that is
     * loopback by definition ({@code localhost} and the names under it, RFC 6761 §6.3): null for any
     * other name, which only an attempt resolves, and for an address that is allowed. Resolves
     * nothing: a literal is its own address.
     */
    String literalRefusal(URI url) {
        String host = url.getHost();
        if (host == null) {
            return null;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return refusal(url, new InetAddress[] {InetAddress.getLoopbackAddress()});
        }
        return host.startsWith("[") || IPV4_LITERAL.matcher(host).matches() ? refusal(url, LITERAL_LOOKUP) : null;
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress() || address.isLoopbackAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            int third = bytes[2] & 0xff;
            // This network, shared (100.64/10), IETF protocol assignments (192.0.0/24), benchmarking
            // (198.18/15), documentation (RFC 5737's three /24s) and reserved (240/4, with the broadcast
            // address): never a public receiver. 168.63.129.16 is the address every Azure machine reaches
            // its platform's own services at, as 169.254.169.254 is the metadata endpoint's.
            return first == 0 || (first == 100 && second >= 64 && second < 128)
                    || (first == 192 && second == 0 && (third == 0 || third == 2))
                    || (first == 198 && (second & 0xfe) == 18) || (first == 198 && second == 51 && third == 100)
                    || (first == 203 && second == 0 && third == 113) || first >= 240
                    || (first == 168 && second == 63 && third == 129 && (bytes[3] & 0xff) == 16);
        }
        if (address instanceof Inet6Address) {
            // Unique-local (fc00::/7) and documentation (2001:db8::/32).
            if ((bytes[0] & 0xfe) == 0xfc || startsWith(bytes, 0x20, 0x01, 0x0d, 0xb8)) {
                return true;
            }
            // An IPv4 address carried in IPv6 is judged as that IPv4 address: NAT64 (64:ff9b::/96; its
            // local-use prefix 64:ff9b:1::/48 is refused whole), 6to4 (2002::/16) and IPv4-compatible.
            if (startsWith(bytes, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
                return true;
            }
            if (startsWith(bytes, 0x00, 0x64, 0xff, 0x9b) && allZero(bytes, 4, 12)) {
                return isPrivate(ipv4(bytes, 12));
            }
            if (startsWith(bytes, 0x20, 0x02)) {
                return isPrivate(ipv4(bytes, 2));
            }
            if (allZero(bytes, 0, 12)) {
                return isPrivate(ipv4(bytes, 12));
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte[] bytes, int offset) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
