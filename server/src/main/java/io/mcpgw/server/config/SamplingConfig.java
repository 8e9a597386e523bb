package io.mcpgw.server.config;

import java.util.List;

/**
 * What a backend may ask of a client's model through {@code sampling/createMessage}, for a tenant or an agent.
 * The gateway rewrites a request to fit, or refuses it, before the client sees it.
 *
 * @param maxTokens larger {@code maxTokens} are lowered to this
 * @param allowIncludeContext whether {@code includeContext} may ask for more than {@code none}; when false it is set
 *     to {@code none}
 * @param modelHints patterns ({@code claude-*}) a model hint's name must match; other hints are removed
 * @param requestsPerMinute sampling requests per minute (a token bucket as big as one minute's worth); past it
 *     the backend's request is refused
 */
public record SamplingConfig(Integer maxTokens, Boolean allowIncludeContext, List<String> modelHints, Integer requestsPerMinute) {

    public static final SamplingConfig UNLIMITED = new SamplingConfig(null, null, null, null);

    public SamplingConfig {
        if (maxTokens != null && maxTokens < 1 || requestsPerMinute != null && requestsPerMinute < 1) {
            throw new IllegalArgumentException((maxTokens != null && maxTokens < 1 ? "maxTokens" : "requestsPerMinute")
                    + ": must be at least 1 (leave it out for no limit)");
        }
        allowIncludeContext = allowIncludeContext == null || allowIncludeContext;
        modelHints = modelHints == null ? null : List.copyOf(modelHints);
    }
}
