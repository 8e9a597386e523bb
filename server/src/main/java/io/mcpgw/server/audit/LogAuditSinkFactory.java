package io.mcpgw.server.audit;

import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** {@code audit: [{type: log}]}: each event as one JSON line at INFO on the logger {@code mcpgw.audit}. */
public final class LogAuditSinkFactory implements AuditSinkFactory {

    private static final Logger AUDIT = LogManager.getLogger("mcpgw.audit");

    /** No keys. */
    record Settings() {}

    @Override
    public String name() {
        return "log";
    }

    @Override
    public AuditSink create(ExtensionContext context) {
        context.config().bind(Settings.class);
        return batch -> batch.forEach(event -> AUDIT.info(JsonRpc.write(AuditEventJson.write(event))));
    }
}
