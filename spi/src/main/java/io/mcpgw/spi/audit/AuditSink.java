package io.mcpgw.spi.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Stores audit events. The gateway's journal calls {@link #writeJournaled} from one writer thread per sink, with
 * batches in event order; unless a sink overrides it, that hands the events to {@link #write}.
 */
public interface AuditSink extends AutoCloseable {

    /**
     * Stores a batch durably before returning. Throwing means "not stored": the journal retries the same batch
     * with backoff, and its events wait in the journal on disk meanwhile, so they are never dropped. A batch may
     * therefore arrive again, after a failure or after a crash of the gateway between this call's return and the
     * journal's note that it returned; use {@link AuditEvent#id()} to store each event once.
     */
    void write(List<AuditEvent> batch) throws Exception;

    /**
     * Stores a batch as the journal wrote it, each event with its line of JSON, under the contract of {@link #write}.
     * A sink that stores the line overrides this to take it as it is instead of building it again; by default the
     * events go to {@link #write}.
     */
    default void writeJournaled(List<JournaledEvent> batch) throws Exception {
        List<AuditEvent> events = new ArrayList<>(batch.size());
        for (JournaledEvent journaled : batch) {
            events.add(journaled.event());
        }
        write(events);
    }

    /** Releases resources; the journal has flushed every batch before calling it. Throws nothing checked. */
    @Override
    default void close() {}
}
