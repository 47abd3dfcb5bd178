package dev.scimserver.access;

import java.util.Optional;

/** Which workspace's credential a SCIM request's bearer value is, if any (see {@link BearerAuthentication}). */
@FunctionalInterface
public interface BearerCredentials {
    /** The caller {@code bearer} stands for in a request that reached {@code reached}; empty for none. */
    Optional<Caller> authenticate(String bearer, AuthorizationServerUrls reached);

    /**
     * Whether {@code bearer} is an access token this server signed, valid at {@code reached}: a value
     * no guesser can make, which the failed-authentication throttle may check at any time. Only a
     * source that issues access tokens has such values.
     */
    default boolean isSignedAccessToken(String bearer, AuthorizationServerUrls reached) {
        return false;
    }
}
