package io.mcpgw.plugins.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.spi.policy.Decision;
import io.mcpgw.spi.policy.PolicyEvaluator;
import io.mcpgw.spi.policy.PolicyInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns OPA's answer into a decision, with an optional cache of decisions by input. */
final class OpaEvaluator implements PolicyEvaluator {

    private static final int CACHE_ENTRIES = 10_000;

    private record Cached(Decision decision, Instant until) {}

    private final Decider decider;
    private final OpaInput input;
    private final boolean failOpen;
    private final Duration cacheFor;
    private final Clock clock;
    private final System.Logger logger;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    OpaEvaluator(Decider decider, OpaInput input, boolean failOpen, Duration cacheFor, Clock clock, System.Logger logger) {
        this.decider = decider;
        this.input = input;
        this.failOpen = failOpen;
        this.cacheFor = cacheFor;
        this.clock = clock;
        this.logger = logger;
    }

    @Override
    public Decision evaluate(PolicyInput invocation) {
        String document = input.of(invocation);
        if (!cacheFor.isZero()) {
            synchronized (cache) {
                Cached cached = cache.get(document);
                if (cached != null && clock.instant().isBefore(cached.until())) {
                    return cached.decision();
                }
            }
        }
        Decider.Answer answer;
        try {
            answer = decider.decide(document);
        } catch (RuntimeException e) {
            logger.log(System.Logger.Level.WARNING, "OPA could not decide on {0}: {1}; {2}", invocation.namespacedTarget(), e.getMessage(),
                    failOpen ? "allowed (failOpen)" : "denied");
            return failOpen ? new Decision.Allow(Map.of("opa.error", String.valueOf(e.getMessage())))
                    : new Decision.Deny("opa-unavailable", "the policy service could not decide; the invocation is denied");
        }
        Decision decision = decision(answer);
        if (!cacheFor.isZero()) {
            synchronized (cache) {
                cache.put(document, new Cached(decision, clock.instant().plus(cacheFor)));
            }
        }
        return decision;
    }

    private static Decision decision(Decider.Answer answer) {
        Map<String, String> facts = answer.decisionId().map(id -> Map.of("opa.decisionId", id)).orElse(Map.of());
        JsonNode result = answer.result();
        boolean allowed = result.isBoolean() ? result.booleanValue() : result.path("allow").asBoolean(false);
        if (allowed) {
            return new Decision.Allow(facts);
        }
        String reason = result.path("reason").isTextual() ? result.path("reason").textValue()
                : result.isMissingNode() ? "the policy has no decision for this invocation" : "denied by policy";
        return new Decision.Deny(result.path("code").isTextual() ? result.path("code").textValue() : "opa-deny", reason, facts);
    }
}
