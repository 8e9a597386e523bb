package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The pins of this gateway in {@code pins.json} in the data directory (written whole to a temporary file, then
 * moved in place), so a restart does not forget them. A file of hashes only, from before definitions were kept,
 * still loads.
 */
@Singleton
public final class FilePinStore implements PinStore {

    private static final Logger LOG = LogManager.getLogger(FilePinStore.class);

    private final Path file;
    private final Map<String, Map<String, PinnedTool>> pinned = new TreeMap<>();

    @Inject
    FilePinStore(McpgwConfig config, InstallPaths paths) {
        this(paths.resolve(config.server().dataDirectory()).resolve("pins.json"));
    }

    FilePinStore(Path file) {
        this.file = file;
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

    @Override
    public synchronized Map<String, PinnedTool> pins(String backendId) {
        return Map.copyOf(pinned.getOrDefault(backendId, Map.of()));
    }

    @Override
    public synchronized void put(String backendId, Map<String, PinnedTool> pins) {
        pinned.computeIfAbsent(backendId, id -> new TreeMap<>()).putAll(pins);
        save();
    }

    /** A pin that cannot be written stays in force until the gateway stops; the log says so. */
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
