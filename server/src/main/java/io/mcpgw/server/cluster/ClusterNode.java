package io.mcpgw.server.cluster;

import java.util.Optional;
import java.util.UUID;

/**
 * A member of the cluster as an operator sees it.
 *
 * @param memberAddress where it listens for the other members
 * @param mcpAddress where it serves MCP clients, as it published it sealed; empty until it has, or when what it
 *     published does not open with this node's key
 * @param state {@code serving} (its MCP address is known and sealed with the cluster's key), {@code joining} (not
 *     yet published) or {@code unverified} (published, but not sealed with this key)
 * @param self whether it is the node answering
 */
public record ClusterNode(UUID id, String memberAddress, Optional<String> mcpAddress, String state, boolean self) {}
