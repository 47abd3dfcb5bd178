package dev.scimserver.scim;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names that name this machine whatever any DNS says: {@code localhost}, an IPv4 127 address
 * written in digits, and {@code ::1}. A name that only starts with {@code 127.} is a name like any
 * other, whose answer its owner controls.
 */
public final class LoopbackHosts {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");

    private LoopbackHosts() {
    }

    /** Whether {@code host}, as a URL writes it (an IPv6 address in brackets or not), is one of these. */
    public static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.equals("localhost") || LOOPBACK_V4.matcher(name).matches() || name.equals("[::1]")
                || name.equals("::1");
    }
}
