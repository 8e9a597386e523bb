package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditEventJson;
import io.mcpgw.server.audit.AuditJournal;

/** {@code GET /admin/audit?limit=}: the newest audit events kept in memory. */
@Singleton
final class AuditResource implements AdminResource {

    private static final int DEFAULT_LIMIT = 100;

    private final AuditJournal journal;

    @Inject
    AuditResource(AuditJournal journal) {
        this.journal = journal;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/audit", request -> {
            int limit = request.intParameter("limit", DEFAULT_LIMIT, AuditJournal.RECENT_EVENTS);
            request.json(200, AdminRequest.array(journal.recent(limit).stream().map(event -> (JsonNode) AuditEventJson.write(event)).toList()));
        });
    }
}
