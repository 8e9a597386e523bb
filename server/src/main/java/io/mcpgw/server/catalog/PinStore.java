package io.mcpgw.server.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * Where tool pins are kept: per backend and tool, the definition an operator (or the first listing) accepted. The
 * local store is a file in the data directory; a store shared between gateways lets an approval on one node hold on
 * every node.
 */
public interface PinStore {

    /** The backend's pins, by tool name. */
    Map<String, PinnedTool> pins(String backendId);

    default Optional<PinnedTool> pin(String backendId, String tool) {
        return Optional.ofNullable(pins(backendId).get(tool));
    }

    /** Keeps these pins of the backend, each in place of the tool's earlier one; the others stay. */
    void put(String backendId, Map<String, PinnedTool> pins);
}
