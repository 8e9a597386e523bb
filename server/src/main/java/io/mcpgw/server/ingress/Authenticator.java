package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.identity.IdentityChain;
import io.mcpgw.server.identity.NoneIdentityFactory;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.monitor.GatewayMonitor;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.identity.IdentityResolver;
import io.mcpgw.spi.identity.IdentityResult;
import io.mcpgw.spi.identity.ProtectedResource;
import io.mcpgw.spi.identity.RequestInfo;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RenegotiationRequiredException;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.HeaderValues;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Who is calling, for every request on every transport: the configured {@code identity:} resolvers (or {@code none})
 * asked with the request's headers and, over TLS, the client certificate the listener verified. A refusal becomes
 * its 401 or 403, with the resolver's {@code WWW-Authenticate}.
 */
@Singleton
final class Authenticator {

    /** The WebSocket subprotocol that carries a bearer token: {@code Sec-WebSocket-Protocol: mcp, bearer.<token>}. */
    private static final String BEARER_SUBPROTOCOL = "bearer.";

    private final IdentityResolver resolver;
    /** What the resolver declares, read once: it is asked on every request. */
    private final boolean neverBlocks;
    private final Optional<Identity> fixedIdentity;
    private final GatewayMonitor monitor;
    private final FailedAuthentications failures;

    @Inject
    Authenticator(ConfiguredExtensions extensions, GatewayMonitor monitor, FailedAuthentications failures) {
        this.monitor = monitor;
        this.failures = failures;
        this.resolver = IdentityChain.of(extensions.identity());
        this.neverBlocks = resolver.neverBlocks();
        this.fixedIdentity = resolver.fixedIdentity();
    }

    /** Whether telling who calls asks nothing that could block (the resolver says it never blocks). */
    boolean resolvesAtOnce() {
        return neverBlocks;
    }

    /**
     * Who calls. An address that failed too often lately is refused (429) before its credentials are looked at;
     * a failure here counts against it. A WebSocket handshake may carry its bearer token as the subprotocol
     * {@code bearer.<token>} (browsers cannot set {@code Authorization}); the resolver sees it as that header.
     */
    Identity authenticate(HttpServerExchange exchange) {
        if (fixedIdentity.isPresent()) {
            return fixedIdentity.get();
        }
        String remote = exchange.getSourceAddress() instanceof InetSocketAddress address ? address.getHostString() : "";
        failures.throttled(remote).ifPresent(seconds -> {
            throw new HttpProblem(ErrorCode.THROTTLED, "Too many failed authentications from this address; try again later",
                    Map.of("Retry-After", Long.toString(seconds)));
        });
        Map<String, List<String>> headers = new HashMap<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            headers.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
        }
        subprotocolToken(headers);
        IdentityResult result = resolver.resolve(new RequestInfo(exchange.getRequestMethod().toString(), exchange.getRequestPath(), headers, remote,
                clientCertificates(exchange)));
        return switch (result) {
            case IdentityResult.Authenticated authenticated -> authenticated.identity();
            case IdentityResult.Rejected rejected -> {
                if (rejected.status() == 401) {
                    failures.failed(remote, "client", rejected.message());
                }
                throw new HttpProblem(rejected.status() == 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, rejected.message(),
                        rejected.wwwAuthenticate().map(value -> Map.of("WWW-Authenticate", value)).orElse(Map.of()));
            }
        };
    }

    /** The chain the client presented and the listener verified; none over plain HTTP or without client certificates. */
    private static List<X509Certificate> clientCertificates(HttpServerExchange exchange) {
        SSLSessionInfo tls = exchange.getConnection().getSslSessionInfo();
        if (tls == null) {
            return List.of();
        }
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return chain == null ? List.of() : Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (SSLPeerUnverifiedException | RenegotiationRequiredException e) {
            return List.of();
        }
    }

    /**
     * Moves a WebSocket handshake's {@code bearer.<token>} subprotocol into {@code Authorization} (unless that is
     * set): the other headers the resolver sees keep no trace of it.
     */
    private static void subprotocolToken(Map<String, List<String>> headers) {
        List<String> upgrade = headers.get("upgrade");
        List<String> offered = headers.get("sec-websocket-protocol");
        if (upgrade == null || offered == null || upgrade.stream().noneMatch("websocket"::equalsIgnoreCase)) {
            return;
        }
        List<String> protocols = offered.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::trim).toList();
        protocols.stream().filter(protocol -> protocol.startsWith(BEARER_SUBPROTOCOL)).findFirst()
                .ifPresent(token -> headers.putIfAbsent("authorization", List.of("Bearer " + token.substring(BEARER_SUBPROTOCOL.length()))));
        headers.put("sec-websocket-protocol", List.of(String.join(", ",
                protocols.stream().filter(protocol -> !protocol.startsWith(BEARER_SUBPROTOCOL)).toList())));
    }

    /**
     * Whether {@code presented} is the principal the session {@code sessionId} was opened by (the same tenant and
     * client). When it is not, the attempt is audited: someone holds another's session id.
     */
    boolean owns(Identity owner, Identity presented, String sessionId) {
        if (owner.tenant().equals(presented.tenant()) && owner.client().equals(presented.client())) {
            return true;
        }
        monitor.sessionClaimed(presented, sessionId, owner);
        return false;
    }

    Optional<ProtectedResource> protectedResource() {
        return resolver.protectedResource();
    }
}
