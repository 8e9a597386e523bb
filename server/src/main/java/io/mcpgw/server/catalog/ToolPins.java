package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.Pinning;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.monitor.GatewayMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Pins each tool's first definition (its {@link DescriptorHash}) and catches a backend that changes one later
 * (a "rug pull"): under {@code pinning: warn} the tool is still served and the change audited, under
 * {@code enforce} it is hidden and refused until an operator approves the new definition. Pins (each hash with the
 * definition it seals, so a change can be shown) are kept in {@code pins.json} in the data directory, so a restart
 * does not forget them.
 */
@Singleton
public final class ToolPins {

    private static final Logger LOG = LogManager.getLogger(ToolPins.class);

    private final Path file;
    private final GatewayMonitor monitor;
    private final Map<String, Map<String, PinnedTool>> pinned = new TreeMap<>();
    private final Map<String, Map<String, PinnedTool>> current = new HashMap<>();
    /** Read on every call without the lock: each backend's set is replaced whole, never changed in place. */
    private final Map<String, Set<String>> blocked = new ConcurrentHashMap<>();
    private final Set<String> reported = new HashSet<>();

    @Inject
    ToolPins(McpgwConfig config, InstallPaths paths, GatewayMonitor monitor) {
        this.monitor = monitor;
        this.file = paths.resolve(config.server().dataDirectory()).resolve("pins.json");
        if (Files.exists(file)) {
            try {
                JsonRpc.MAPPER.readTree(file.toFile()).properties().forEach(backend -> {
                    Map<String, PinnedTool> tools = pinned.computeIfAbsent(backend.getKey(), id -> new TreeMap<>());
                    backend.getValue().properties().forEach(tool -> tools.put(tool.getKey(), PinnedTool.read(tool.getValue())));
                });
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read the tool pins in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Looks at a backend's tools after it listed them: pins new ones and deals with changed ones. */
    synchronized void review(Backend backend) {
        Pinning mode = backend.config().pinning();
        if (mode == Pinning.OFF) {
            return;
        }
        Map<String, PinnedTool> pins = pinned.computeIfAbsent(backend.id(), id -> new TreeMap<>());
        Map<String, PinnedTool> now = new HashMap<>();
        Set<String> hidden = new HashSet<>();
        boolean newPins = false;
        for (ObjectNode tool : backend.snapshot().items(ListKind.TOOLS)) {
            String name = tool.path("name").asText();
            PinnedTool offered = PinnedTool.of(tool);
            now.put(name, offered);
            PinnedTool pin = pins.get(name);
            if (pin == null || pin.hash().equals(offered.hash()) && pin.definition().isEmpty()) {
                pins.put(name, offered);
                newPins = true;
            } else if (!pin.hash().equals(offered.hash())) {
                if (mode == Pinning.ENFORCE) {
                    hidden.add(name);
                }
                changed(backend.id(), name, pin.hash(), offered.hash(), mode);
            }
        }
        current.put(backend.id(), now);
        blocked.put(backend.id(), Set.copyOf(hidden));
        if (newPins) {
            save();
        }
    }

    /** Whether the tool is held back until its changed definition is approved. */
    boolean blocked(Backend backend, String tool) {
        Set<String> hidden = blocked.get(backend.id());
        return hidden != null && hidden.contains(tool);
    }

    /** What the tool is pinned to, if it is. */
    synchronized Optional<PinnedTool> pin(String backendId, String tool) {
        return Optional.ofNullable(pinned.getOrDefault(backendId, Map.of()).get(tool));
    }

    /** Accepts a tool's current definition as its pin; false when the backend offers no such tool. */
    synchronized boolean approve(String backendId, String tool) {
        PinnedTool offered = current.getOrDefault(backendId, Map.of()).get(tool);
        if (offered == null) {
            return false;
        }
        pinned.computeIfAbsent(backendId, id -> new TreeMap<>()).put(tool, offered);
        Set<String> stillHidden = new HashSet<>(blocked.getOrDefault(backendId, Set.of()));
        stillHidden.remove(tool);
        blocked.put(backendId, Set.copyOf(stillHidden));
        save();
        LOG.info("Tool {}{}{} approved with its definition {}", backendId, Catalog.SEPARATOR, tool, offered.hash());
        return true;
    }

    private void changed(String backendId, String tool, String pin, String hash, Pinning mode) {
        if (!reported.add(backendId + "/" + tool + "/" + hash)) {
            return;
        }
        monitor.pinChanged(backendId, tool, backendId + Catalog.SEPARATOR + tool, pin, hash, mode == Pinning.ENFORCE);
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            ObjectNode json = JsonRpc.MAPPER.createObjectNode();
            pinned.forEach((backend, tools) -> {
                ObjectNode byName = json.putObject(backend);
                tools.forEach((name, pin) -> byName.set(name, pin.toJson()));
            });
            JsonRpc.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), json);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("Tool pins could not be saved to {}: {}", file, e.getMessage());
        }
    }
}
