package io.mcpgw.spi.audit;

import io.mcpgw.spi.ExtensionFactory;

/** Creates an {@link AuditSink} for one entry of the {@code audit:} list. */
public interface AuditSinkFactory extends ExtensionFactory<AuditSink> {}
