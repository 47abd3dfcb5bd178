package dev.scimserver.http.scim;

import dev.scimserver.access.TrustedProxies;
import io.javalin.http.Context;

import java.net.InetAddress;
import java.util.Collections;

/** The addresses a request comes from: its TCP peer, and the client that follows from the trusted proxies. */
final class ClientAddress {
    private ClientAddress() {
    }

    /** The TCP peer. */
    static InetAddress peer(Context ctx) {
        return TrustedProxies.peer(ctx.req().getRemoteAddr());
    }

    /** The client failed authentications are counted by: the peer, or what trusted proxies forwarded. */
    static InetAddress client(Context ctx, TrustedProxies trustedProxies) {
        return trustedProxies.clientAddress(ctx.req().getRemoteAddr(),
                Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }
}
