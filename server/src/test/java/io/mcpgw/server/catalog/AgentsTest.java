package io.mcpgw.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agents follow their registry as the gateway wires them: a definition put there is an agent, one removed is none. */
class AgentsTest {

    private static final String SECTIONS = """
            backends:
              - id: files
                transport: stdio
                command: ["true"]
            agents:
              - name: reader
                uses: [files]
            """;

    @TempDir
    Path directory;

    @Test
    void aDefinitionPutInTheRegistryIsAnAgentAndOneRemovedIsNone() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, SECTIONS)) {
            AgentRegistry registry = gateway.get(AgentRegistry.class);
            Agents agents = gateway.get(Agents.class);
            AgentConfig writer = agent("writer");

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
        try (AssembledParts gateway = new AssembledParts(directory, false, SECTIONS)) {
            AgentRegistry registry = gateway.get(AgentRegistry.class);
            Agents agents = gateway.get(Agents.class);
            Agents.Defined reader = agents.get("reader").orElseThrow();
            AgentConfig writer = agent("writer");
            Agents.Defined defined = agents.define(writer);
            assertThat(agents.get("writer")).as("not used before it is put").isEmpty();

            registry.replaceAll(List.of(writer, reader.config()));

            assertThat(agents.get("writer")).containsSame(defined);
            assertThat(agents.get("reader")).as("its definition did not change").containsSame(reader);
            assertThat(agents.all()).containsExactly(defined, reader);
        }
    }

    private static AgentConfig agent(String name) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(SECTIONS.replace("name: reader", "name: " + name), "test.yaml")
                .agents().get(0);
    }
}
