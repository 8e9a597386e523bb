package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.cluster.ClusterSeal;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.identity.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The task ids the gateway gives 2026-07-28 clients: sealed (AES-256-GCM, {@code server.taskIdKeys}) around what
 * names the task anywhere (the backend, the backend's own task id) and whose it is (tenant and client), so an id
 * cannot be forged, altered, or opened by anyone without the key, and one principal's id names nothing for another.
 * The first key seals, every key opens: rotating one in does not break the ids already given.
 */
final class TaskIds {

    /** What a sealed task id says. */
    record Named(String backendId, String nativeId, String tenant, String client) {

        boolean ownedBy(Identity principal) {
            return tenant.equals(principal.tenant()) && client.equals(principal.client());
        }
    }

    private static final String PURPOSE = "mcpgw task id v1";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<ClusterSeal> seals;

    /** Seals with the first of {@code keys}, opens with any; with none, with a random key of this process's. */
    TaskIds(List<String> keys) {
        List<String> secrets = keys.isEmpty() ? List.of(HexFormat.of().formatHex(random())) : keys;
        this.seals = secrets.stream().map(ClusterSeal::new).toList();
    }

    private static byte[] random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    String seal(Named named) {
        ObjectNode plain = JsonRpc.MAPPER.createObjectNode().put("b", named.backendId()).put("t", named.nativeId())
                .put("tn", named.tenant()).put("c", named.client());
        return ENCODER.encodeToString(seals.getFirst().seal(PURPOSE, JsonRpc.write(plain).getBytes(StandardCharsets.UTF_8)));
    }

    /** What {@code id} names, if one of the keys sealed it; empty for anything else (tampered, made up, another key's). */
    Optional<Named> open(String id) {
        byte[] sealed;
        try {
            sealed = DECODER.decode(id);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        for (ClusterSeal seal : seals) {
            Optional<byte[]> plain = seal.open(PURPOSE, sealed);
            if (plain.isPresent()) {
                return plain.flatMap(TaskIds::named);
            }
        }
        return Optional.empty();
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
