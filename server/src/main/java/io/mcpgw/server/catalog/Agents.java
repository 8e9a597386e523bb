package io.mcpgw.server.catalog;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.spi.policy.PolicyEvaluator;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agents, one created for each definition in the {@link AgentRegistry}: those configured and those composed at
 * run time, which it follows as the registry changes. Each is created whole (its policies included, so a bad policy
 * section refuses the agent) before it can be reached: whoever writes a definition defines it here first, and that
 * one is used when the definition arrives; one written elsewhere is created when it arrives.
 */
@Singleton
public final class Agents implements AgentRegistry.Listener {

    /** An agent as defined, as the catalog sees it, and the policies it adds. */
    public record Defined(AgentConfig config, Agent agent, List<PolicyEvaluator> policies) {}

    private final ConfiguredExtensions extensions;
    /** Replaced whole on each change; read without a lock. */
    private volatile Map<String, Defined> agents;
    /** Defined for a definition about to be put in the registry, by that definition (the same object, not an equal one). */
    private final Map<AgentConfig, Defined> prepared = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Whether some agent in {@link #agents} has policies of its own; asked on every request. */
    private volatile boolean policiesNeverBlock = true;

    @Inject
    Agents(AgentRegistry definitions, ConfiguredExtensions extensions) {
        this.extensions = extensions;
        Map<String, Defined> defined = new LinkedHashMap<>();
        definitions.all().forEach(agent -> defined.put(agent.name(), create(agent)));
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

    /** Its policies are created here, and so checked; used once this very definition is put in the registry. */
    public Defined define(AgentConfig config) {
        Defined defined = create(config);
        prepared.put(config, defined);
        return defined;
    }

    /** Lets go of a defined agent that will not be used after all. */
    public void discard(Defined agent) {
        prepared.remove(agent.config());
    }

    /** Follows a change of the registry: a definition that is new or no longer the one used gets its (defined) agent. */
    @Override
    public synchronized void changed(List<AgentConfig> definitions) {
        Map<String, Defined> updated = new LinkedHashMap<>();
        for (AgentConfig definition : definitions) {
            Defined current = agents.get(definition.name());
            updated.put(definition.name(), current != null && current.config() == definition ? current
                    : Optional.ofNullable(prepared.remove(definition)).orElseGet(() -> create(definition)));
        }
        publish(updated);
    }

    private Defined create(AgentConfig config) {
        return new Defined(config, Agent.of(config), config.policy().stream().map(extensions::createPolicy).toList());
    }
}
