package dev.scimserver.events;

import dev.scimserver.scim.LoopbackHosts;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which receiver URLs a subscription may name: absolute {@code https} with a host, no user info and no
 * fragment; {@code http} only to a loopback host and only when {@code SCIM_EVENTS_ALLOW_INSECURE} is
 * true (development). The addresses a name resolves to are checked again at every attempt, by the
 * {@code delivery} adapter, since a name can change what it points at.
 */
public final class ReceiverUrls {
    static final int MAX_LENGTH = 2048;

    private final boolean allowInsecure;
    /** Why the adapter would refuse every attempt to a URL, from what is written in it; null when it would not. */
    private final Function<URI, String> addressRefusal;

    public ReceiverUrls(boolean allowInsecure, Function<URI, String> addressRefusal) {
        this.allowInsecure = allowInsecure;
        this.addressRefusal = addressRefusal;
    }

    URI checked(String text) {
        if (text == null || text.isBlank()) {
            throw new EventRuleException("url", "url is required for a pushed subscription");
        }
        if (text.length() > MAX_LENGTH) {
            throw new EventRuleException("url", "url is longer than " + MAX_LENGTH + " characters");
        }
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new EventRuleException("url", "url is not a valid URL");
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            // java.net.URI takes any number there; no attempt could ever connect to it.
            throw new EventRuleException("url", "url has no valid port (1 to 65535)");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new EventRuleException("url", "url must be an absolute URL with a host, without user "
                    + "information or fragment");
        }
        if (scheme.equals("https") || (scheme.equals("http") && allowInsecure && LoopbackHosts.isLoopback(url.getHost()))) {
            // An address no attempt may reach is refused now, not retried for a day before a pause.
            String refused = addressRefusal.apply(url);
            if (refused != null) {
                throw new EventRuleException("url", "url is refused: " + refused);
            }
            return url;
        }
        throw new EventRuleException("url", "url must use https" + (allowInsecure
                ? " (http only to localhost or a loopback address)"
                : " (http to a loopback address needs SCIM_EVENTS_ALLOW_INSECURE=true)"));
    }

    public boolean allowInsecure() {
        return allowInsecure;
    }
}
