package io.mcpgw.server.relay;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.cluster.ClusterSeal;
import io.mcpgw.server.config.McpgwConfig;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The keys ({@code server.stateKeys}) that seal what the gateway hands a client to bring back: the
 * {@code requestState} of an {@code input_required} result, a task id. AES-256-GCM; the first key seals, every key
 * opens, so a key can be rotated without breaking what is in flight; each thing is sealed for its purpose, so one
 * does not open as another. Without configured keys, a random key made at start, which only this node has and a
 * restart forgets. Sealed values travel as base64url text without padding.
 */
@Singleton
public final class StateKeys {

    private static final Logger LOG = LogManager.getLogger(StateKeys.class);
    private static final Base64.Encoder TEXT = Base64.getUrlEncoder().withoutPadding();

    private final List<ClusterSeal> keys;

    @Inject
    StateKeys(McpgwConfig config) {
        this(config.server().stateKeys());
        if (config.server().stateKeys().isEmpty()) {
            LOG.info("server.stateKeys is not set: input_required states and task ids are sealed with a key made at start, which only"
                    + " this node has and a restart forgets");
        }
    }

    /** {@code configured} keys, the first sealing; none: a random one. */
    StateKeys(List<String> configured) {
        if (configured.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.keys = List.of(new ClusterSeal(Base64.getEncoder().encodeToString(random)));
        } else {
            this.keys = configured.stream().map(key -> new ClusterSeal(key.strip())).toList();
        }
    }

    /** {@code plain} sealed for {@code purpose} with the first key, as text. */
    String seal(String purpose, byte[] plain) {
        return TEXT.encodeToString(keys.getFirst().seal(purpose, plain));
    }

    /** What {@code text} seals for {@code purpose} under one of the keys; empty when it was changed, made up, or another key's. */
    Optional<byte[]> open(String purpose, String text) {
        byte[] sealed;
        try {
            sealed = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        for (ClusterSeal key : keys) {
            Optional<byte[]> plain = key.open(purpose, sealed);
            if (plain.isPresent()) {
                return plain;
            }
        }
        return Optional.empty();
    }
}
