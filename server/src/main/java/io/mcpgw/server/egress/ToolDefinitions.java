package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A backend's tools as last discovered, by the name the backend knows: what a modern request's headers are read from. */
@FunctionalInterface
interface ToolDefinitions {

    ToolDefinitions NONE = name -> Optional.empty();

    Optional<ObjectNode> tool(String name);
}
