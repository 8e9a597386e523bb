package io.mcpgw.server.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.util.Optional;

/**
 * Seals and opens the gateway's {@code requestState} with the {@link StateKeys}: a state that was changed, or sealed
 * with a key the gateway does not have, does not open.
 */
@Singleton
public final class RequestStateSeal {

    private static final String PURPOSE = "mcpgw requestState v1";

    private final StateKeys keys;

    @Inject
    RequestStateSeal(StateKeys keys) {
        this.keys = keys;
    }

    String seal(RequestState state) {
        try {
            return keys.seal(PURPOSE, JsonRpc.MAPPER.writeValueAsBytes(state));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request state could not be written", e);
        }
    }

    /** The state {@code text} seals under one of the keys; empty when it is not one the gateway sealed, or was changed. */
    Optional<RequestState> open(String text) {
        Optional<byte[]> plain = keys.open(PURPOSE, text);
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JsonRpc.MAPPER.readValue(plain.get(), RequestState.class));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }
}
