package io.mcpgw.server.invocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.credentials.CredentialBroker;
import io.mcpgw.server.egress.AnswerHook;
import io.mcpgw.server.egress.BackendCall;
import io.mcpgw.server.egress.BackendRequest;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.jsonrpc.Answers;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.monitor.ClientMonitor;
import io.mcpgw.server.relay.Relay;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.Invocation;
import io.mcpgw.server.telemetry.RequestTracing;
import io.mcpgw.spi.credentials.Credentials;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Every invocation takes the same steps: route (the session's view names the backend), admit (halting limits,
 * quotas, pins, policies), credentials (for the caller's backend session), call the upstream (the client's progress
 * token swapped for the gateway's, trace context added), answer (the client's id back). The monitor hears each fact
 * once: the decision, the start, and the end or the failure before the call.
 */
@Singleton
public final class InvocationPipeline {

    private final InvocationRouter router;
    private final Governance governance;
    private final CredentialBroker credentials;
    private final Relay relay;
    private final RequestTracing tracing;
    private final ClientMonitor monitor;

    @Inject
    InvocationPipeline(InvocationRouter router, Governance governance, CredentialBroker credentials, Relay relay, RequestTracing tracing,
            ClientMonitor monitor) {
        this.router = router;
        this.governance = governance;
        this.credentials = credentials;
        this.relay = relay;
        this.tracing = tracing;
        this.monitor = monitor;
    }

    /**
     * Whether nothing on an invocation's way can block: every policy (the gateway's and the agents') and every
     * credentials provider says it never blocks.
     */
    public boolean runsAtOnce() {
        return governance.decidesAtOnce() && credentials.resolvesAtOnce();
    }

    /**
     * Runs one invocation, {@code onIoThread} when the edge serves it on the I/O thread that read it. A refusal before
     * the call is thrown as a {@link GatewayException}; once sent, the answer (a result or an error) completes the
     * future under the client's id.
     */
    public CompletableFuture<ObjectNode> invoke(ClientCall call, String method, JsonNode params, boolean onIoThread) {
        Invocation invocation = router.route(call, method, params, onIoThread);
        Runnable release = tracing.inSpan("policy", () -> governance.admitInvocation(invocation));
        call.whenEnded(release);
        long started = System.nanoTime();
        Optional<Credentials> secrets;
        try {
            join(call, invocation.backend());
            secrets = tracing.inSpan("credentials", () -> credentials.forCall(call.session().principal(), invocation.backend().config()));
        } catch (GatewayException unavailable) {
            monitor.invocationUnavailable(invocation, unavailable);
            throw unavailable;
        }
        monitor.invocationStarted(invocation);
        AnswerHook hook = invocation.params().has("task") ? (link, response) -> relay.taskCreated(call, link, response) : AnswerHook.NONE;
        Span backendSpan = tracing.startBackendCall(invocation.backend().id(), method);
        BackendCall sent;
        try (Scope ignored = backendSpan.makeCurrent()) {
            sent = invocation.backend().call(new BackendRequest(method, tracing.withTraceContext(relay.outbound(call, invocation.params())),
                    call, hook, secrets, onIoThread));
        }
        call.forwarded(sent);
        return sent.response().handle((response, error) -> {
            ObjectNode answer = Answers.withId(call.id(), response, error);
            RequestTracing.ended(backendSpan, answer, null);
            monitor.invocationEnded(invocation, answer, System.nanoTime() - started);
            return answer;
        });
    }

    /**
     * {@code resources/subscribe}, on the backend session of the client's own (or its tenant's) unless the backend is
     * shared. A subscription is no invocation: nothing admits or audits it.
     */
    public CompletableFuture<ObjectNode> subscribe(ClientCall call, String uri) {
        Upstream backend = router.subscription(call, uri);
        join(call, backend);
        return relay.subscribe(call, backend, uri, credentials.forCall(call.session().principal(), backend.config()));
    }

    public CompletableFuture<ObjectNode> unsubscribe(ClientCall call, String uri) {
        return relay.unsubscribe(call, router.subscription(call, uri), uri);
    }

    /**
     * Counts the session among the backend's (its {@code maxSessions}) from its first call there until it ends, when
     * the backend session that served it alone ({@code isolation}) ends too.
     */
    private static void join(ClientCall call, Upstream backend) {
        if (backend.join(call)) {
            call.session().onClose(() -> backend.leave(call));
        }
    }
}
