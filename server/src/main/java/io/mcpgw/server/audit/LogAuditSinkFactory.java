package io.mcpgw.server.audit;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import io.mcpgw.spi.audit.JournaledEvent;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** {@code audit: [{type: log}]}: each event as one JSON line (the journal's) at INFO on the logger {@code mcpgw.audit}. */
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
        return new Sink();
    }

    /** Logs each event's line as the journal wrote it. */
    private static final class Sink implements AuditSink {

        @Override
        public void write(List<AuditEvent> batch) {
            batch.forEach(event -> AUDIT.info(event.toJson()));
        }

        @Override
        public void writeJournaled(List<JournaledEvent> batch) {
            batch.forEach(event -> AUDIT.info(event.json()));
        }
    }
}
