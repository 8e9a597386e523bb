package io.mcpgw.spi.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** The outcome of {@link PolicyEvaluator#evaluate}. Each one is audited. */
public sealed interface Decision {

    /**
     * Let the invocation proceed.
     *
     * @param metadata extra facts recorded in the audit event (e.g. a decision id)
     */
    record Allow(Map<String, String> metadata) implements Decision {
        public Allow {
            metadata = Map.copyOf(metadata);
        }

        public Allow() {
            this(Map.of());
        }
    }

    /**
     * Refuse the invocation.
     *
     * @param code a stable machine-readable code, e.g. {@code outside-business-hours}
     * @param reason what the client is told
     * @param metadata extra facts recorded in the audit event (e.g. a decision id); not shown to the client
     */
    record Deny(String code, String reason, Map<String, String> metadata) implements Decision {
        public Deny {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
            metadata = Map.copyOf(metadata);
        }

        public Deny(String code, String reason) {
            this(code, reason, Map.of());
        }
    }

    /**
     * Refuse the invocation for now: the client may retry after {@code retryAfter}. Distinct from {@link Deny} on
     * the wire, so clients can back off instead of giving up.
     */
    record Throttle(String reason, Duration retryAfter) implements Decision {
        public Throttle {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** The shared {@link Allow} without metadata. */
    static Decision allow() {
        return ALLOW;
    }

    /** See {@link #allow()}. */
    Allow ALLOW = new Allow();
}
