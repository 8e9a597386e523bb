package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import java.util.Map;

/** The gateway as a whole: {@code GET /admin/status}, and {@code POST /admin/reload} of its configuration file. */
@Singleton
final class GatewayResource implements AdminResource {

    private final AdminViews views;
    private final Operator operator;

    @Inject
    GatewayResource(AdminViews views, Operator operator) {
        this.views = views;
        this.operator = operator;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/status", request -> request.json(200, views.status()));
        routes.post("/admin/reload", this::reload);
    }

    private void reload(AdminRequest request) {
        ReloadReport report;
        try {
            report = operator.reload("admin API (" + request.actor() + ")");
        } catch (StartupException e) {
            throw new HttpProblem(422, "Configuration Refused", ErrorCode.INVALID_REQUEST, e.getMessage() + " (nothing was changed)", Map.of());
        }
        request.json(200, report.toJson());
    }
}
