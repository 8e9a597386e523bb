package io.mcpgw.server.catalog;

import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Configurations for the agents' tests: one backend, {@code files}, and agents that use it, as a user writes them. */
final class AgentSections {

    private AgentSections() {}

    /** The backend and these agents, as YAML. */
    static String yaml(List<String> agents) {
        return """
                backends:
                  - id: files
                    transport: stdio
                    command: ["true"]
                agents:
                """ + agents.stream().map(name -> "  - name: " + name + "\n    uses: [files]\n").collect(Collectors.joining());
    }

    static McpgwConfig config(List<String> agents) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml(agents), "test.yaml");
    }

    /** A definition of the agent, as the admin API or a reload would read it. */
    static AgentConfig agent(String name) {
        return config(List.of(name)).agents().get(0);
    }
}
