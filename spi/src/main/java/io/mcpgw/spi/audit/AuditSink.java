package io.mcpgw.spi.audit;

import java.util.List;

/**
 * Stores audit events. The gateway's journal calls {@link #write} from one writer thread per sink, with batches
 * in event order.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Stores a batch durably before returning. Throwing means "not stored": the journal retries the same batch
     * with backoff and spools it to disk meanwhile, so it is never dropped. A batch may therefore arrive again
     * after a failure; use {@link AuditEvent#id()} to store each event once.
     */
    void write(List<AuditEvent> batch) throws Exception;

    /** Releases resources; the journal has flushed every batch before calling it. Throws nothing checked. */
    @Override
    default void close() {}
}
