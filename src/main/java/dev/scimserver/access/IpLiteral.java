package dev.scimserver.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP addresses written as text, read without ever asking DNS: a setting or a forwarded header
 * that names a host must not make the server resolve it.
 */
public final class IpLiteral {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    /** Starts with a hex digit or a colon and holds a colon: {@link InetAddress} then parses it as IPv6, never looks it up. */
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");

    private IpLiteral() {
    }

    /** The address {@code text} spells (dotted IPv4 or IPv6, brackets allowed), or empty when it spells none. */
    public static Optional<InetAddress> parse(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        Matcher ipv4 = IPV4.matcher(literal);
        if (ipv4.matches()) {
            return ipv4(ipv4);
        }
        if (!IPV6.matcher(literal).matches() || literal.indexOf(':') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> ipv4(Matcher octets) {
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            String octet = octets.group(i + 1);
            int value = Integer.parseInt(octet);
            // A leading zero reads as octal to some parsers; refuse the ambiguity.
            if (value > 255 || (octet.length() > 1 && octet.charAt(0) == '0')) {
                return Optional.empty();
            }
            address[i] = (byte) value;
        }
        try {
            return Optional.of(InetAddress.getByAddress(address));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
