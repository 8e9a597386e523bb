package io.mcpgw.server.catalog;

import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.LimitsConfig;
import io.mcpgw.server.config.SamplingConfig;
import java.util.List;

/**
 * An agent at run time: its name, what its {@code uses} let through, its halting limits and sampling rules, and its
 * policy sections as written (for its view hash).
 */
public record Agent(String name, Grants grants, LimitsConfig limits, SamplingConfig sampling, String policies) {

    /** {@code uses} entries name a backend (all its tools) or a namespaced tool pattern. */
    public static Agent of(AgentConfig config) {
        List<String> backends = config.uses().stream()
                .map(use -> use.contains(Catalog.SEPARATOR) ? use.substring(0, use.indexOf(Catalog.SEPARATOR)) : use).toList();
        List<String> tools = config.uses().stream()
                .map(use -> use.contains(Catalog.SEPARATOR) ? use : use + Catalog.SEPARATOR + "*").toList();
        return new Agent(config.name(), Grants.of("agent:" + config.name(), backends, tools, List.of()), config.limits(),
                config.sampling(), config.policy().stream().map(section -> section.toJson().toString()).toList().toString());
    }
}
