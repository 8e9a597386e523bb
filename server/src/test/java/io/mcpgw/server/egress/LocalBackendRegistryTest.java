package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backend definitions of one process: their order, a refused duplicate, and what the listeners hear. */
class LocalBackendRegistryTest {

    /** One change as a listener heard it: the ids it left, in order, and the drain. */
    private record Heard(List<String> ids, Duration drain) {}

    private final McpgwConfig configured = config("""
            backends:
              - id: files
                transport: stdio
                command: ["true"]
              - id: search
                transport: stdio
                command: ["true"]
            """);
    private final LocalBackendRegistry registry = new LocalBackendRegistry(configured);
    private final List<Heard> heard = new ArrayList<>();

    LocalBackendRegistryTest() {
        registry.addListener((definitions, drain) -> heard.add(new Heard(definitions.stream().map(BackendConfig::id).toList(), drain)));
    }

    @Test
    void itStartsWithTheConfiguredDefinitionsInTheirOrder() {
        assertThat(registry.all()).containsExactlyElementsOf(configured.backends());
        assertThat(registry.get("search")).containsSame(configured.backends().get(1));
        assertThat(registry.get("other")).isEmpty();
        assertThat(heard).as("nothing changed yet").isEmpty();
    }

    @Test
    void anAddedDefinitionJoinsLastAndARedefinedOneKeepsItsPlace() {
        BackendConfig added = definition("notes");
        registry.add(added);
        BackendConfig redefined = definition("files");
        registry.change(List.of(redefined), List.of(), Duration.ofSeconds(3));

        assertThat(registry.all()).extracting(BackendConfig::id).containsExactly("files", "search", "notes");
        assertThat(registry.get("files")).containsSame(redefined);
        assertThat(heard).containsExactly(new Heard(List.of("files", "search", "notes"), Duration.ZERO),
                new Heard(List.of("files", "search", "notes"), Duration.ofSeconds(3)));
    }

    @Test
    void aRemovalAndAnAdditionAreOneChange() {
        registry.change(List.of(definition("notes")), List.of("files"), Duration.ofSeconds(30));

        assertThat(registry.all()).extracting(BackendConfig::id).containsExactly("search", "notes");
        assertThat(heard).as("heard once, with the drain").containsExactly(new Heard(List.of("search", "notes"), Duration.ofSeconds(30)));
    }

    @Test
    void aSecondDefinitionForAnIdIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> registry.add(definition("files"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("backend 'files' already exists");

        assertThat(registry.all()).containsExactlyElementsOf(configured.backends());
        assertThat(heard).isEmpty();
    }

    private static BackendConfig definition(String id) {
        return config("backends:\n  - id: " + id + "\n    transport: stdio\n    command: [\"true\"]\n").backends().get(0);
    }

    private static McpgwConfig config(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml");
    }
}
