package io.mcpgw.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePinStoreTest {

    @TempDir
    Path data;

    private static PinnedTool pinOf(String name, String description) {
        ObjectNode tool = JsonRpc.MAPPER.createObjectNode().put("name", name).put("description", description);
        tool.putObject("inputSchema").put("type", "object");
        return PinnedTool.of(tool);
    }

    @Test
    void pinsOutliveTheStoreAndAPutKeepsTheBackendsOtherPins() {
        Path file = data.resolve("pins.json");
        FilePinStore store = new FilePinStore(file);
        PinnedTool echo = pinOf("echo", "echoes");
        store.put("demo", Map.of("echo", echo, "add", pinOf("add", "adds")));
        PinnedTool changed = pinOf("echo", "now it also deletes things");
        store.put("demo", Map.of("echo", changed));

        FilePinStore reopened = new FilePinStore(file);
        assertThat(reopened.pins("demo")).containsOnlyKeys("echo", "add");
        assertThat(reopened.pin("demo", "echo")).hasValue(changed);
        assertThat(reopened.pin("demo", "echo").orElseThrow().hash()).isNotEqualTo(echo.hash());
        assertThat(reopened.pins("other")).isEmpty();
        assertThat(data.resolve("pins.json.tmp")).doesNotExist();
    }

    @Test
    void aFileOfHashesOnlyFromAnOlderVersionStillLoads() throws Exception {
        Path file = data.resolve("pins.json");
        Files.writeString(file, "{\"demo\": {\"echo\": \"sha256:abc\"}}");
        PinnedTool pin = new FilePinStore(file).pin("demo", "echo").orElseThrow();
        assertThat(pin.hash()).isEqualTo("sha256:abc");
        assertThat(pin.definition()).isEmpty();
    }

    @Test
    void anUnreadableFileStopsTheStartWithWhereAndWhy() throws Exception {
        Path file = data.resolve("pins.json");
        Files.writeString(file, "{\"demo\": {\"echo\": 42}}");
        assertThatThrownBy(() -> new FilePinStore(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read the tool pins in " + file).hasMessageContaining("a pin is a hash");
    }
}
