package dev.scimserver.app;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's part in talking to the console, over plain HTTP: it keeps the cookies the console sets
 * (by name, as a browser would for one origin), follows no redirect, and reads the CSRF token of the
 * last page it got.
 */
final class ConsoleClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern FORM = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");

    private final String origin;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String lastPage = "";

    ConsoleClient(String origin) {
        this.origin = origin;
    }

    /** Signs in with {@code token} through the sign-in page, as a person would. */
    HttpResponse<String> signIn(String token) {
        get("/admin/login");
        return post("/admin/login", Map.of("form", formToken(), "token", token));
    }

    HttpResponse<String> get(String path) {
        return get(path, Map.of());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(origin + path)).GET(), headers);
    }

    HttpResponse<String> post(String path, Map<String, String> form) {
        return post(path, form, Map.of());
    }

    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(encode(name) + "=" + encode(value)));
        return postEncoded(path, body.toString(), headers);
    }

    /** A form body as written, escapes and all: for bytes a browser would not encode. */
    HttpResponse<String> postEncoded(String path, String body, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(origin + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** The CSRF token the last page's forms carry. */
    String csrf() {
        Matcher matcher = CSRF.matcher(lastPage);
        if (!matcher.find()) {
            throw new AssertionError("the last page has no CSRF field: " + lastPage);
        }
        return matcher.group(1);
    }

    String formToken() {
        Matcher matcher = FORM.matcher(lastPage);
        if (!matcher.find()) {
            throw new AssertionError("the last page is no sign-in form: " + lastPage);
        }
        return matcher.group(1);
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    /** The {@code Cookie} header this browser sends. */
    String cookieHeader() {
        StringJoiner header = new StringJoiner("; ");
        cookies.forEach((name, value) -> header.add(name + "=" + value));
        return header.toString();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> headers) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookieHeader());
        }
        headers.forEach(request::setHeader);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty() || setCookie.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            lastPage = response.body();
            return response;
        } catch (IOException e) {
            throw new AssertionError("the console did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
