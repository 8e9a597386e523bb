package io.mcpgw.server.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An agent: a named view at {@code /agents/<name>/mcp} (and {@code /ws}, {@code /sse}) that shows only what it
 * {@code uses}, with namespaced names, and bounds its sessions with its own limits.
 *
 * @param name {@code [a-z0-9-]+}
 * @param uses what it shows: backend ids (all they offer), namespaced tool and prompt patterns
 *     ({@code github__create_*}) and resource URI globs ({@code docs://*}), as {@code Grants.uses} reads them
 * @param limits halting limits for each of its sessions, over the gateway-wide ones
 * @param sampling what backends may ask of its clients' models, over what the tenant allows
 * @param policy PolicyEvaluator extensions asked for its sessions' invocations, after the gateway-wide ones
 */
public record AgentConfig(String name, List<String> uses, LimitsConfig limits, SamplingConfig sampling, List<ExtensionSection> policy) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public AgentConfig {
        if (name == null) {
            throw new IllegalArgumentException("name: required value is missing");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' must match " + NAME.pattern());
        }
        if (uses == null || uses.isEmpty()) {
            throw new IllegalArgumentException("uses: an agent uses at least one backend or tool");
        }
        uses = List.copyOf(uses);
        limits = limits == null ? LimitsConfig.NONE : limits;
        sampling = sampling == null ? SamplingConfig.UNLIMITED : sampling;
        policy = policy == null ? List.of() : List.copyOf(policy);
    }
}
