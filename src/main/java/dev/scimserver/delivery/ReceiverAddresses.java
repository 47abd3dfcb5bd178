package dev.scimserver.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which addresses a receiver may be at. Refused unless {@code SCIM_EVENTS_ALLOW_PRIVATE}: private
 * (RFC 1918, unique-local fc00::/7, shared 100.64/10), link-local (the cloud metadata endpoints among
 * them), any-local and multicast; loopback unless private ones or {@code SCIM_EVENTS_ALLOW_INSECURE}
 * (development) are allowed. Plain {@code http} goes to loopback only.
 *
 * <p>Every address the name has is checked just before the attempt. The JVM keeps a resolved name for
 * 30 seconds ({@code networkaddress.cache.ttl}), so the HTTP client's own lookup a moment later gets the
 * addresses checked here: a name re-pointed in between (DNS rebinding) has to outlast that cache.
 */
final class ReceiverAddresses {
    private final boolean allowPrivate;
    private final boolean allowInsecure;

    ReceiverAddresses(boolean allowPrivate, boolean allowInsecure) {
        this.allowPrivate = allowPrivate;
        this.allowInsecure = allowInsecure;
    }

    /** Why {@code url} may not be called now, or {@code null} when it may. */
    String refusal(URI url) {
        String host = url.getHost();
        if (host == null) {
            return "the URL has no host";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "the receiver's name does not resolve";
        }
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

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isMulticastAddress() || address.isLoopbackAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return false;
    }
}
