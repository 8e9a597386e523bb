package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.Pinning;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.monitor.GatewayMonitor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Pins each tool's first definition (its {@link DescriptorHash}) and catches a backend that changes one later
 * (a "rug pull"): under {@code pinning: warn} the tool is still served and the change audited, under
 * {@code enforce} it is hidden and refused until an operator approves the new definition. Pins (each hash with the
 * definition it seals, so a change can be shown) are kept in the {@link PinStore}.
 */
@Singleton
public final class ToolPins {

    private static final Logger LOG = LogManager.getLogger(ToolPins.class);

    private final PinStore store;
    private final GatewayMonitor monitor;
    private final Map<String, Map<String, PinnedTool>> current = new HashMap<>();
    /** Read on every call without the lock: each backend's set is replaced whole, never changed in place. */
    private final Map<String, Set<String>> blocked = new ConcurrentHashMap<>();
    private final Set<String> reported = new HashSet<>();

    @Inject
    ToolPins(PinStore store, GatewayMonitor monitor) {
        this.store = store;
        this.monitor = monitor;
    }

    /** Looks at a backend's tools after it listed them: pins new ones and deals with changed ones. */
    synchronized void review(Upstream backend) {
        Pinning mode = backend.config().pinning();
        if (mode == Pinning.OFF) {
            return;
        }
        Map<String, PinnedTool> pins = store.pins(backend.id());
        Map<String, PinnedTool> now = new HashMap<>();
        Map<String, PinnedTool> newPins = new HashMap<>();
        Set<String> hidden = new HashSet<>();
        for (ObjectNode tool : backend.snapshot().items(ListKind.TOOLS)) {
            String name = tool.path("name").asText();
            PinnedTool offered = PinnedTool.of(tool);
            now.put(name, offered);
            PinnedTool pin = pins.get(name);
            if (pin == null || pin.hash().equals(offered.hash()) && pin.definition().isEmpty()) {
                newPins.put(name, offered);
            } else if (!pin.hash().equals(offered.hash())) {
                if (mode == Pinning.ENFORCE) {
                    hidden.add(name);
                }
                changed(backend.id(), name, pin.hash(), offered.hash(), mode);
            }
        }
        current.put(backend.id(), now);
        blocked.put(backend.id(), Set.copyOf(hidden));
        if (!newPins.isEmpty()) {
            store.put(backend.id(), newPins);
        }
    }

    /** Whether the tool is held back until its changed definition is approved. */
    boolean blocked(Upstream backend, String tool) {
        Set<String> hidden = blocked.get(backend.id());
        return hidden != null && hidden.contains(tool);
    }

    /** What the tool is pinned to, if it is. */
    Optional<PinnedTool> pin(String backendId, String tool) {
        return store.pin(backendId, tool);
    }

    /** Accepts a tool's current definition as its pin; false when the backend offers no such tool. */
    synchronized boolean approve(String backendId, String tool) {
        PinnedTool offered = current.getOrDefault(backendId, Map.of()).get(tool);
        if (offered == null) {
            return false;
        }
        store.put(backendId, Map.of(tool, offered));
        Set<String> stillHidden = new HashSet<>(blocked.getOrDefault(backendId, Set.of()));
        stillHidden.remove(tool);
        blocked.put(backendId, Set.copyOf(stillHidden));
        LOG.info("Tool {}{}{} approved with its definition {}", backendId, Catalog.SEPARATOR, tool, offered.hash());
        return true;
    }

    private void changed(String backendId, String tool, String pin, String hash, Pinning mode) {
        if (!reported.add(backendId + "/" + tool + "/" + hash)) {
            return;
        }
        monitor.pinChanged(backendId, tool, backendId + Catalog.SEPARATOR + tool, pin, hash, mode == Pinning.ENFORCE);
    }
}
