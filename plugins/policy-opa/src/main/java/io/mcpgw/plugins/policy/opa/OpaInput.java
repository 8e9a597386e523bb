package io.mcpgw.plugins.policy.opa;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.spi.policy.PolicyInput;
import java.util.List;
import java.util.Map;

/**
 * The input document OPA sees: {@code tenant}, {@code client}, {@code scopes}, {@code agent}, {@code backend},
 * {@code method}, {@code target} (the backend's name), {@code tool} (the client's namespaced name),
 * {@code arguments}, {@code counters} (unless left out), plus the configured aliases.
 */
final class OpaInput {

    static final List<String> FIELDS = List.of("tenant", "client", "agent", "backend", "method", "target", "tool");

    private final Map<String, String> aliases;
    private final boolean counters;

    OpaInput(Map<String, String> aliases, boolean counters) {
        this.aliases = aliases;
        this.counters = counters;
    }

    String of(PolicyInput input) {
        ObjectNode json = OpaPolicyFactory.JSON.createObjectNode()
                .put("tenant", input.tenant())
                .put("client", input.client())
                .put("backend", input.backend())
                .put("method", input.method())
                .put("target", input.target())
                .put("tool", input.namespacedTarget());
        input.agent().ifPresentOrElse(agent -> json.put("agent", agent), () -> json.putNull("agent"));
        input.scopes().stream().sorted().forEach(json.putArray("scopes")::add);
        json.set("arguments", OpaPolicyFactory.JSON.valueToTree(input.arguments()));
        if (counters) {
            PolicyInput.Counters live = input.counters();
            json.putObject("counters").put("sessionCalls", live.sessionCalls()).put("sessionInFlight", live.sessionInFlight())
                    .put("tenantInFlight", live.tenantInFlight()).put("sessionAgeMillis", live.sessionAgeMillis());
        }
        aliases.forEach((alias, field) -> json.set(alias, json.get(field)));
        return json.toString();
    }
}
