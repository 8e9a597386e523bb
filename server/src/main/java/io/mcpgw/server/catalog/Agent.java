package io.mcpgw.server.catalog;

import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.LimitsConfig;
import io.mcpgw.server.config.SamplingConfig;

/**
 * An agent at run time: its name, what its {@code uses} let through, its halting limits and sampling rules, and its
 * policy sections as written (for its view hash).
 */
public record Agent(String name, Grants grants, LimitsConfig limits, SamplingConfig sampling, String policies) {

    /** Its {@code uses} entries name what it shows, as {@link Grants#uses} reads them. */
    public static Agent of(AgentConfig config) {
        return new Agent(config.name(), Grants.uses("agent:" + config.name(), config.uses()), config.limits(),
                config.sampling(), config.policy().stream().map(section -> section.toJson().toString()).toList().toString());
    }
}
