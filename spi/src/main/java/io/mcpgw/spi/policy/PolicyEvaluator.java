package io.mcpgw.spi.policy;

/**
 * Decides whether one invocation may proceed. Called on every invocation, after the gateway's built-in checks
 * (grants, halting limits, quotas), in the order the {@code policy:} list gives; the first
 * {@link Decision.Deny} or {@link Decision.Throttle} ends the chain. Called concurrently: be thread-safe and
 * fast, or cache.
 */
public interface PolicyEvaluator {

    Decision evaluate(PolicyInput input);

    /**
     * Whether {@code evaluate} answers from memory, never waiting on I/O or on a lock held for long. The gateway then runs
     * it on the socket's I/O thread that read the request, with no hop to another thread; the default (false) runs
     * it on a virtual thread, where waiting is fine. Declaring true and then blocking stalls every connection that
     * I/O thread serves.
     */
    default boolean neverBlocks() {
        return false;
    }
}
