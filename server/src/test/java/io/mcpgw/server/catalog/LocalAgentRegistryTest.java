package io.mcpgw.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.McpgwConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent definitions of one process: their order, a refused duplicate, removal, replacement, and what the listeners hear. */
class LocalAgentRegistryTest {

    private final McpgwConfig configured = AgentSections.config(List.of("reader", "writer"));
    private final LocalAgentRegistry registry = new LocalAgentRegistry(configured);
    private final List<List<String>> heard = new ArrayList<>();

    LocalAgentRegistryTest() {
        registry.addListener(definitions -> heard.add(definitions.stream().map(AgentConfig::name).toList()));
    }

    @Test
    void itStartsWithTheConfiguredDefinitionsInTheirOrder() {
        assertThat(registry.all()).containsExactlyElementsOf(configured.agents());
        assertThat(registry.get("writer")).containsSame(configured.agents().get(1));
        assertThat(heard).isEmpty();
    }

    @Test
    void anAddedDefinitionJoinsLastAndARemovedOneGoes() {
        AgentConfig added = AgentSections.agent("auditor");
        registry.add(added);
        assertThat(registry.remove("reader")).containsSame(configured.agents().get(0));
        assertThat(registry.remove("nobody")).isEmpty();

        assertThat(registry.all()).extracting(AgentConfig::name).containsExactly("writer", "auditor");
        assertThat(registry.get("auditor")).containsSame(added);
        assertThat(heard).containsExactly(List.of("reader", "writer", "auditor"), List.of("writer", "auditor"), List.of("writer", "auditor"));
    }

    @Test
    void aReplacementPutsItsDefinitionsInItsOrderInPlaceOfAllOthers() {
        AgentConfig auditor = AgentSections.agent("auditor");
        registry.replaceAll(List.of(auditor, configured.agents().get(1)));

        assertThat(registry.all()).containsExactly(auditor, configured.agents().get(1));
        assertThat(registry.get("reader")).isEmpty();
        assertThat(heard).containsExactly(List.of("auditor", "writer"));
    }

    @Test
    void aSecondDefinitionForANameIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> registry.add(AgentSections.agent("reader"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("agent 'reader' already exists");

        assertThat(registry.all()).containsExactlyElementsOf(configured.agents());
        assertThat(heard).isEmpty();
    }
}
