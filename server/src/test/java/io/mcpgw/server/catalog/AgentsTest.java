package io.mcpgw.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.config.AgentConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agents follow their registry as the gateway wires them: a definition put there is an agent, one removed is none. */
class AgentsTest {

    @TempDir
    Path directory;

    @Test
    void aDefinitionPutInTheRegistryIsAnAgentAndOneRemovedIsNone() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, AgentSections.yaml(List.of("reader")))) {
            AgentRegistry registry = gateway.get(AgentRegistry.class);
            Agents agents = gateway.get(Agents.class);
            AgentConfig writer = AgentSections.agent("writer");

            registry.add(writer);
            assertThat(agents.get("writer")).hasValueSatisfying(defined -> {
                assertThat(defined.config()).isSameAs(writer);
                assertThat(defined.agent().name()).isEqualTo("writer");
            });
            assertThat(agents.all()).extracting(defined -> defined.config().name()).containsExactly("reader", "writer");

            registry.remove("reader");
            assertThat(agents.get("reader")).isEmpty();
            assertThat(agents.all()).extracting(defined -> defined.config().name()).containsExactly("writer");
        }
    }

    @Test
    void theAgentDefinedForADefinitionIsTheOneUsedWhenItIsPutAndAnUnchangedOneIsKept() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, AgentSections.yaml(List.of("reader")))) {
            AgentRegistry registry = gateway.get(AgentRegistry.class);
            Agents agents = gateway.get(Agents.class);
            Agents.Defined reader = agents.get("reader").orElseThrow();
            AgentConfig writer = AgentSections.agent("writer");
            Agents.Defined defined = agents.define(writer);
            assertThat(agents.get("writer")).as("not used before it is put").isEmpty();

            registry.replaceAll(List.of(writer, reader.config()));

            assertThat(agents.get("writer")).containsSame(defined);
            assertThat(agents.get("reader")).as("its definition did not change").containsSame(reader);
            assertThat(agents.all()).containsExactly(defined, reader);
        }
    }
}
