package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.spi.audit.AuditEventType;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Every change made through the admin API, logged and audited ({@code admin_action}) with which token made it. */
@Singleton
final class AdminAudit {

    private static final Logger LOG = LogManager.getLogger(AdminAudit.class);

    private final AuditJournal journal;

    @Inject
    AdminAudit(AuditJournal journal) {
        this.journal = journal;
    }

    void audit(AdminRequest request, String action, String target) {
        LOG.info("Admin: {} {} by {}", action, target, request.actor());
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.ADMIN_ACTION).outcome("ok").meta("action", action)
                    .meta("target", target).meta("by", request.actor()).build());
        }
    }
}
