package dev.scimserver.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The reverse proxies whose {@code X-Forwarded-For} is believed ({@code SCIM_TRUSTED_PROXIES}), and
 * the client address that follows from them. Only a request whose TCP peer is one of them has its
 * header read, from the right: each entry was appended by the hop to its right, so the first
 * address that is not a trusted proxy is the client, and everything to its left is whatever that
 * client chose to write. None configured: the TCP peer is the client, whatever the header says.
 */
public final class TrustedProxies {
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<AddressRange> ranges;

    private TrustedProxies(List<AddressRange> ranges) {
        this.ranges = ranges;
    }

    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * A comma-separated list of IP addresses and CIDR ranges, IPv4 or IPv6; blank or null is none.
     *
     * @throws IllegalArgumentException naming the first entry that is not one
     */
    public static TrustedProxies parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : setting.split(",", -1)) {
            ranges.add(AddressRange.parse(entry.trim()));
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The client of a request whose TCP peer is {@code remoteAddress} (as the servlet container writes
     * it, a link-local IPv6 address with its {@code %interface}) and that carries the
     * {@code X-Forwarded-For} header values {@code forwardedFor}.
     */
    public InetAddress clientAddress(String remoteAddress, List<String> forwardedFor) {
        return clientAddress(peer(remoteAddress), forwardedFor);
    }

    /** The TCP peer the servlet container names; the interface of a link-local address is not part of it. */
    public static InetAddress peer(String remoteAddress) {
        int zone = remoteAddress.indexOf('%');
        String address = zone < 0 ? remoteAddress
                : remoteAddress.substring(0, zone) + (remoteAddress.startsWith("[") ? "]" : "");
        return IpLiteral.parse(address).orElseThrow(
                () -> new IllegalStateException("the TCP peer is not an IP address: " + remoteAddress));
    }

    /** The client of a request from {@code peer} that carries the {@code X-Forwarded-For} header values {@code forwardedFor}. */
    InetAddress clientAddress(InetAddress peer, List<String> forwardedFor) {
        InetAddress hop = peer;
        List<String> entries = new ArrayList<>();
        for (String value : forwardedFor) {
            entries.addAll(List.of(value.split(",")));
        }
        for (int i = entries.size() - 1; i >= 0 && trusts(hop); i--) {
            Optional<InetAddress> previous = forwardedAddress(entries.get(i).trim());
            if (previous.isEmpty()) {
                // A trusted proxy wrote something that is no address: its own address is all we know.
                return hop;
            }
            hop = previous.get();
        }
        return hop;
    }

    boolean trusts(InetAddress address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An entry as proxies write it: an address, {@code 192.0.2.1:4711} or {@code [2001:db8::1]:4711} with a port. */
    private static Optional<InetAddress> forwardedAddress(String entry) {
        if (entry.startsWith("[") && entry.contains("]")) {
            return IpLiteral.parse(entry.substring(1, entry.indexOf(']')));
        }
        int colon = entry.indexOf(':');
        if (colon > 0 && colon == entry.lastIndexOf(':')) {
            return IpLiteral.parse(entry.substring(0, colon));
        }
        return IpLiteral.parse(entry);
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "none" : String.join(", ", ranges.stream().map(AddressRange::toString).toList());
    }

    /** A network and the number of leading bits that name it; a single address is all of its bits. */
    private static final class AddressRange {
        private final byte[] network;
        private final int prefixLength;
        private final String text;

        private AddressRange(byte[] network, int prefixLength, String text) {
            this.network = network;
            this.prefixLength = prefixLength;
            this.text = text;
        }

        static AddressRange parse(String entry) {
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] network = IpLiteral.parse(address).map(InetAddress::getAddress).orElseThrow(
                    () -> new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range"));
            int bits = network.length * 8;
            int prefixLength = slash < 0 ? bits : prefixLength(entry, entry.substring(slash + 1), bits);
            byte[] masked = masked(network, prefixLength);
            if (!Arrays.equals(masked, network)) {
                throw new IllegalArgumentException("'" + entry + "' has bits set past its /" + prefixLength
                        + " prefix; write the network address, such as " + hostAddress(masked) + "/" + prefixLength);
            }
            return new AddressRange(network, prefixLength, slash < 0 ? address : entry);
        }

        private static int prefixLength(String entry, String text, int bits) {
            if (!text.matches("\\d{1,3}") || Integer.parseInt(text) > bits) {
                throw new IllegalArgumentException("'" + entry + "' has a prefix length that is not 1 to " + bits);
            }
            int length = Integer.parseInt(text);
            if (length == 0) {
                throw new IllegalArgumentException("'" + entry + "' trusts every address, which would let any client "
                        + "choose the address it is throttled by");
            }
            return length;
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length == network.length && Arrays.equals(masked(bytes, prefixLength), network);
        }

        private static byte[] masked(byte[] address, int prefixLength) {
            byte[] masked = address.clone();
            for (int bit = prefixLength; bit < masked.length * 8; bit++) {
                masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return masked;
        }

        private static String hostAddress(byte[] address) {
            try {
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a masked address has the length of an address", e);
            }
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
