package io.mcpgw.server.catalog;

import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.LimitsConfig;
import io.mcpgw.server.config.SamplingConfig;
import java.util.List;

/** An agent at run time: its name, what its {@code uses} let through, and its halting limits. */
public record Agent(String name, Grants grants, LimitsConfig limits, SamplingConfig sampling) {

    /** {@code uses} entries name a backend (all its tools) or a namespaced tool pattern. */
    public static Agent of(AgentConfig config) {
        List<String> backends = config.uses().stream()
                .map(use -> use.contains(Catalog.SEPARATOR) ? use.substring(0, use.indexOf(Catalog.SEPARATOR)) : use).toList();
        List<String> tools = config.uses().stream()
                .map(use -> use.contains(Catalog.SEPARATOR) ? use : use + Catalog.SEPARATOR + "*").toList();
        return new Agent(config.name(), Grants.of("agent:" + config.name(), backends, tools, List.of()), config.limits(),
                config.sampling());
    }
}
