package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.identity.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The task ids the gateway gives 2026-07-28 clients: sealed with the {@link StateKeys} around what
 * names the task anywhere (the backend, the backend's own task id) and whose it is (tenant and client), so an id
 * cannot be forged, altered, or opened by anyone without the key, and one principal's id names nothing for another.
 */
final class TaskIds {

    /** What a sealed task id says. */
    record Named(String backendId, String nativeId, String tenant, String client) {

        boolean ownedBy(Identity principal) {
            return tenant.equals(principal.tenant()) && client.equals(principal.client());
        }
    }

    private static final String PURPOSE = "mcpgw task id v1";

    private final StateKeys keys;

    TaskIds(StateKeys keys) {
        this.keys = keys;
    }

    String seal(Named named) {
        ObjectNode plain = JsonRpc.MAPPER.createObjectNode().put("b", named.backendId()).put("t", named.nativeId())
                .put("tn", named.tenant()).put("c", named.client());
        return keys.seal(PURPOSE, JsonRpc.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    /** What {@code id} names, if one of the keys sealed it; empty for anything else (tampered, made up, another key's). */
    Optional<Named> open(String id) {
        return keys.open(PURPOSE, id).flatMap(TaskIds::named);
    }

    private static Optional<Named> named(byte[] plain) {
        try {
            JsonNode fields = JsonRpc.MAPPER.readTree(plain);
            return Optional.of(new Named(fields.path("b").asText(), fields.path("t").asText(), fields.path("tn").asText(), fields.path("c").asText()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
