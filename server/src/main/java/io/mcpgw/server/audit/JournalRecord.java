package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;

/** An event as the journal holds it: its line lies from {@code start} to just before {@code end}. */
record JournalRecord(AuditEvent event, long start, long end) {}
