package io.mcpgw.server.catalog;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.spi.policy.PolicyEvaluator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agents: those configured and those composed at run time. Each is created whole (its policies included, so a
 * bad policy section refuses the agent) before it can be reached.
 */
@Singleton
public final class Agents {

    /** An agent as defined, as the catalog sees it, and the policies it adds. */
    public record Defined(AgentConfig config, Agent agent, List<PolicyEvaluator> policies) {}

    private final ConfiguredExtensions extensions;
    /** Replaced whole on each change; read without a lock. */
    private volatile Map<String, Defined> agents;
    /** Whether some agent in {@link #agents} has policies of its own; asked on every request. */
    private volatile boolean policiesNeverBlock = true;

    @Inject
    Agents(McpgwConfig config, ConfiguredExtensions extensions) {
        this.extensions = extensions;
        Map<String, Defined> defined = new LinkedHashMap<>();
        config.agents().forEach(agent -> defined.put(agent.name(), define(agent)));
        publish(defined);
    }

    public Optional<Defined> get(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    /** Whether every agent's own policies say they never block (see {@code PolicyEvaluator#neverBlocks}). */
    public boolean policiesNeverBlock() {
        return policiesNeverBlock;
    }

    private void publish(Map<String, Defined> updated) {
        policiesNeverBlock = updated.values().stream().allMatch(agent -> agent.policies().stream().allMatch(PolicyEvaluator::neverBlocks));
        agents = Collections.unmodifiableMap(updated);
    }

    public List<Defined> all() {
        return List.copyOf(agents.values());
    }

    /** Its policies are created here, and so checked. */
    public Defined define(AgentConfig config) {
        return new Defined(config, Agent.of(config), config.policy().stream().map(extensions::createPolicy).toList());
    }

    /**
     * Adds an agent.
     *
     * @throws IllegalStateException when an agent has its name
     */
    public synchronized Defined add(Defined agent) {
        if (agents.containsKey(agent.config().name())) {
            throw new IllegalStateException("agent '" + agent.config().name() + "' already exists");
        }
        Map<String, Defined> updated = new LinkedHashMap<>(agents);
        updated.put(agent.config().name(), agent);
        publish(updated);
        return agent;
    }

    public synchronized Optional<Defined> remove(String name) {
        Map<String, Defined> updated = new LinkedHashMap<>(agents);
        Defined removed = updated.remove(name);
        publish(updated);
        return Optional.ofNullable(removed);
    }

    /** Puts these agents in place of all others, at once. */
    public synchronized void replaceAll(List<Defined> defined) {
        Map<String, Defined> updated = new LinkedHashMap<>();
        defined.forEach(agent -> updated.put(agent.config().name(), agent));
        publish(updated);
    }
}
