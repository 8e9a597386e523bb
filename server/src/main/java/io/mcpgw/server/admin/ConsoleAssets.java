package io.mcpgw.server.admin;

import com.google.inject.Singleton;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console's files at {@code /console/}: read from the jar ({@code console/} for the page and its modules,
 * uPlot's webjar under {@code lib/}), never from the file system, so nothing outside them can be named. A path is
 * served only when it is plain segments of letters, digits, {@code -} and {@code _} ending in a known extension:
 * no {@code ..}, no encoded characters, no directory listing. The files need no token (they hold no data; the page
 * asks the admin API for everything with the token the operator signs in with) and carry a strict
 * Content-Security-Policy: scripts, styles and connections from this origin only, nothing inline, no framing.
 */
@Singleton
final class ConsoleAssets implements HttpHandler {

    static final String PREFIX = "/console";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Pattern ASSET = Pattern.compile("/((?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+)\\.(html|js|css|svg)");
    /** Files of webjars the page uses, by the name it asks for (the version is the pom's {@code uplot.version}). */
    private static final Map<String, String> LIBRARIES = Map.of(
            "lib/uplot.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.esm.js",
            "lib/uplot.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    /** A file as it is served: its bytes, type and validator. */
    private record Asset(byte[] bytes, String contentType, String etag) {}

    /** The files read so far; only found ones, so names asked for in vain take no room. */
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();

    /** Whether the path is the console's. */
    static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        exchange.getResponseHeaders().put(new HttpString("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().put(new HttpString("X-Content-Type-Options"), "nosniff");
        exchange.getResponseHeaders().put(new HttpString("Referrer-Policy"), "no-referrer");
        exchange.getResponseHeaders().put(new HttpString("X-Frame-Options"), "DENY");
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            plain(exchange, 405, "Method Not Allowed\n");
            return;
        }
        String path = exchange.getRequestPath().substring(PREFIX.length());
        if (path.isEmpty()) {
            exchange.getResponseHeaders().put(Headers.LOCATION, PREFIX + "/");
            plain(exchange, 308, "");
            return;
        }
        Optional<Asset> asset = path.equals("/") ? asset("index", "html") : find(path);
        if (asset.isEmpty()) {
            plain(exchange, 404, "Not Found\n");
            return;
        }
        Asset found = asset.get();
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(Headers.ETAG, found.etag());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, found.contentType());
        if (found.etag().equals(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, found.bytes().length);
        if (method.equals("HEAD")) {
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(found.bytes()));
    }

    private Optional<Asset> find(String path) {
        Matcher matcher = ASSET.matcher(path);
        return matcher.matches() ? asset(matcher.group(1), matcher.group(2)) : Optional.empty();
    }

    private Optional<Asset> asset(String name, String extension) {
        String file = name + "." + extension;
        Asset known = assets.get(file);
        if (known != null) {
            return Optional.of(known);
        }
        String resource = file.startsWith("lib/") ? LIBRARIES.get(file) : "console/" + file;
        if (resource == null) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            Asset read = new Asset(bytes, TYPES.get(extension), etag(bytes));
            assets.put(file, read);
            return Optional.of(read);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
        }
    }

    /** A strong validator: the start of the file's SHA-256. */
    private static String etag(byte[] bytes) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void plain(HttpServerExchange exchange, int status, String text) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(text);
    }
}
