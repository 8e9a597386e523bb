package io.mcpgw.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;

/** An invocation as the monitor reports on it: in which session, what it invoked where, and whether the client cancelled it. */
public interface MonitoredInvocation {

    MonitoredSession session();

    String backendId();

    /** The MCP method. */
    String method();

    /** The tool or prompt as the client named it, or the resource URI. */
    String namespacedTarget();

    /** The tool's or prompt's arguments, if any. */
    JsonNode arguments();

    /** The client's id of the request. */
    JsonNode requestId();

    boolean cancelledByClient();
}
