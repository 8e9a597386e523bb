package io.mcpgw.spi.policy;

/**
 * Decides whether one invocation may proceed. Called on every invocation, after the gateway's built-in checks
 * (grants, halting limits, quotas), in the order the {@code policy:} list gives; the first
 * {@link Decision.Deny} or {@link Decision.Throttle} ends the chain. Called concurrently: be thread-safe and
 * fast, or cache.
 */
public interface PolicyEvaluator {

    Decision evaluate(PolicyInput input);
}
