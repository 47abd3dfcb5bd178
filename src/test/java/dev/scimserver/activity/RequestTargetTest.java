package dev.scimserver.activity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint a path names, for metrics, and the resource id, for the log's filter. */
class RequestTargetTest {
    @Test
    void aResourceIdIsTheSegmentAfterUsersOrGroupsAndNothingElse() {
        assertThat(RequestTarget.of("/api/scim/v2/Users/abc")).isEqualTo(new RequestTarget("Users", "abc"));
        assertThat(RequestTarget.of("/api/scim/v2/groups/abc/")).isEqualTo(new RequestTarget("Groups", "abc"));
        assertThat(RequestTarget.of("/api/scim/v2/Users/ABC")).as("in the case the log's filter compares")
                .isEqualTo(new RequestTarget("Users", "abc"));
        assertThat(RequestTarget.of("/api/scim/v2/Users/2819C223%2D7F76")).as("as the endpoint reads it, decoded")
                .isEqualTo(new RequestTarget("Users", "2819c223-7f76"));
        assertThat(RequestTarget.of("/api/scim/v2/Users")).isEqualTo(new RequestTarget("Users", null));
        assertThat(RequestTarget.of("/api/scim/v2/Users/abc/extra")).as("no such endpoint: no resource")
                .isEqualTo(new RequestTarget("Users", null));
    }

    @Test
    void aSearchIsTheSearchEndpointWhereverItIsPosted() {
        assertThat(RequestTarget.of("/api/scim/v2/.search")).isEqualTo(new RequestTarget(".search", null));
        assertThat(RequestTarget.of("/api/scim/v2/Users/.search")).isEqualTo(new RequestTarget(".search", null));
        assertThat(RequestTarget.of("/api/scim/v2/Groups/.SEARCH")).isEqualTo(new RequestTarget(".search", null));
    }

    @Test
    void everythingElseIsBounded() {
        assertThat(RequestTarget.of("/oauth2/token")).isEqualTo(new RequestTarget("token", null));
        assertThat(RequestTarget.of("/api/scim/v2/Anything/at/all")).isEqualTo(new RequestTarget("other", null));
        assertThat(RequestTarget.of("/metrics")).isEqualTo(new RequestTarget("other", null));
    }

    /** The router ignores one trailing slash and the case of a route: so does the token endpoint's test. */
    @Test
    void theTokenPathIsTheTokenEndpointAsTheRouterMatchesIt() {
        assertThat(RequestTarget.of("/OAuth2/Token/")).isEqualTo(new RequestTarget("token", null));
        assertThat(RequestTarget.isTokenPath("/oauth2/token/")).isTrue();
        assertThat(RequestTarget.isTokenPath("/oauth2/token//")).isFalse();
        assertThat(RequestTarget.isTokenPath("/oauth2/tokens")).isFalse();
        assertThat(RequestTarget.isTokenPath("/oauth2/toke/")).isFalse();
        assertThat(RequestTarget.isTokenPath("/")).isFalse();
    }
}
