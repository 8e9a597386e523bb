package io.mcpgw.plugins.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.styra.opa.wasm.OpaPolicy;
import com.styra.opa.wasm.OpaPolicyPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * An OPA-compiled Wasm policy run in the gateway (Chicory, no native code, no sidecar). An instance evaluates one
 * input at a time, so a pool holds one per core.
 */
final class WasmPolicy implements Decider {

    private final OpaPolicyPool pool;

    WasmPolicy(byte[] module, String entrypoint, String data) {
        OpaPolicy probe = instance(module, entrypoint, data);
        probe.evaluate("{}");
        this.pool = OpaPolicyPool.create(() -> instance(module, entrypoint, data), Runtime.getRuntime().availableProcessors());
    }

    private static OpaPolicy instance(byte[] module, String entrypoint, String data) {
        OpaPolicy policy = OpaPolicy.builder().withPolicy(module).build();
        if (entrypoint != null) {
            policy.entrypoint(entrypoint);
        }
        return policy.data(data);
    }

    @Override
    public Answer decide(String input) {
        try (OpaPolicyPool.Loan loan = pool.borrow()) {
            JsonNode results = OpaPolicyFactory.JSON.readTree(loan.policy().evaluate(input));
            JsonNode first = results.path(0);
            return new Answer(first.has("result") ? first.get("result") : MissingNode.getInstance(), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a Wasm policy instance", e);
        }
    }
}
