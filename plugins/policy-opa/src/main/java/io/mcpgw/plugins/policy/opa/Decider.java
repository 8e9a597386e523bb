package io.mcpgw.plugins.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Where a decision comes from: an OPA server or a Wasm policy. */
interface Decider {

    /** What OPA answered for {@code input}. */
    record Answer(JsonNode result, Optional<String> decisionId) {}

    /**
     * Evaluates the policy.
     *
     * @throws RuntimeException when OPA cannot answer (unreachable, timed out, broken policy)
     */
    Answer decide(String input);
}
