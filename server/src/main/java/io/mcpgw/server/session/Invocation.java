package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.monitor.MonitoredInvocation;

/**
 * One invocation ({@code tools/call}, {@code prompts/get}, {@code resources/read} or {@code completion/complete}) as
 * governance, credentials and the monitor see it: who asks, what it invokes and where, and how it is served. The
 * invocation pipeline makes it; it lives beside the client's call it wraps, below everything that takes it.
 *
 * @param call the client's request, in its session
 * @param backend the backend the view routed it to
 * @param method the MCP method
 * @param target the tool or prompt by the backend's own name, or the resource URI
 * @param namespacedTarget the tool or prompt as the client named it, or the resource URI
 * @param arguments the tool's or prompt's arguments, if any
 * @param params the parameters as the backend gets them (its own names in place of the client's)
 * @param onIoThread whether the edge serves the request on the I/O thread that read it, where nothing may block
 */
public record Invocation(ClientCall call, Upstream backend, String method, String target, String namespacedTarget,
        JsonNode arguments, JsonNode params, boolean onIoThread) implements MonitoredInvocation {

    @Override
    public ClientSession session() {
        return call.session();
    }

    @Override
    public String backendId() {
        return backend.id();
    }

    @Override
    public JsonNode requestId() {
        return call.id();
    }

    @Override
    public boolean cancelledByClient() {
        return call.cancelledByClient();
    }
}
