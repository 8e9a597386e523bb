package io.mcpgw.server.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.cluster.ClusterSeal;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Seals and opens the gateway's {@code requestState} (AES-256-GCM, {@code server.requestStateKeys}): the first key
 * seals, every key opens, so a key can be rotated while retries are in flight. A state that was changed, or sealed
 * with a key the gateway does not have, does not open.
 */
@Singleton
public final class RequestStateSeal {

    private static final Logger LOG = LogManager.getLogger(RequestStateSeal.class);
    private static final String PURPOSE = "mcpgw requestState v1";
    private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();

    private final List<ClusterSeal> keys;

    @Inject
    RequestStateSeal(McpgwConfig config) {
        List<String> configured = config.server().requestStateKeys();
        if (configured.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            LOG.info("server.requestStateKeys is not set: input_required states are sealed with a key made at start, which only this"
                    + " node has and a restart forgets");
            this.keys = List.of(new ClusterSeal(Base64.getEncoder().encodeToString(random)));
        } else {
            this.keys = configured.stream().map(key -> new ClusterSeal(key.strip())).toList();
        }
    }

    String seal(RequestState state) {
        try {
            return TEXT.encodeToString(keys.getFirst().seal(PURPOSE, JsonRpc.MAPPER.writeValueAsBytes(state)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request state could not be written", e);
        }
    }

    /** The state {@code text} seals under one of the keys; empty when it is not one the gateway sealed, or was changed. */
    Optional<RequestState> open(String text) {
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        for (ClusterSeal key : keys) {
            Optional<byte[]> plain = key.open(PURPOSE, sealed);
            if (plain.isPresent()) {
                try {
                    return Optional.of(JsonRpc.MAPPER.readValue(plain.get(), RequestState.class));
                } catch (IOException unreadable) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
