package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.monitor.GatewayMonitor;
import io.mcpgw.server.session.SessionStore;

/** Client sessions: {@code GET /admin/sessions}, and ending one with {@code DELETE /admin/sessions/{id}}. */
@Singleton
final class SessionsResource implements AdminResource {

    private final SessionStore sessions;
    private final Operator operator;
    private final GatewayMonitor monitor;
    private final Governance governance;

    @Inject
    SessionsResource(SessionStore sessions, Governance governance, Operator operator, GatewayMonitor monitor) {
        this.sessions = sessions;
        this.governance = governance;
        this.operator = operator;
        this.monitor = monitor;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/sessions", request -> request.json(200, AdminRequest.array(sessions.all().stream()
                        .map(session -> AdminViews.session(session, governance.halting(session))).toList())))
                .delete("/admin/sessions/{id}", this::end);
    }

    private void end(AdminRequest request) {
        String id = request.param("id");
        if (!operator.endSession(id)) {
            throw HttpProblem.notFound("no session '" + id + "'");
        }
        monitor.adminAction("end-session", id, request.actor());
        request.noContent();
    }
}
