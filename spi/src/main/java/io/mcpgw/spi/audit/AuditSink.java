package io.mcpgw.spi.audit;

import java.util.List;

/**
 * Stores audit events. The gateway's journal calls {@link #write} from one writer thread per sink, with batches
 * in event order.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Stores a batch durably before returning. Throwing means "not stored": the journal retries the same batch
     * with backoff, and its events wait in the journal on disk meanwhile, so they are never dropped. A batch may
     * therefore arrive again, after a failure or after a crash of the gateway between this call's return and the
     * journal's note that it returned; use {@link AuditEvent#id()} to store each event once.
     */
    void write(List<AuditEvent> batch) throws Exception;

    /** Releases resources; the journal has flushed every batch before calling it. Throws nothing checked. */
    @Override
    default void close() {}
}
