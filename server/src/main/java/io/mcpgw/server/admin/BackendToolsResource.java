package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.monitor.GatewayMonitor;

/** A backend's tools with their descriptor hashes and pins, {@code /admin/backends/{id}/tools}, and approving a changed one. */
@Singleton
final class BackendToolsResource implements AdminResource {

    private final BackendManager backends;
    private final Catalog catalog;
    private final AdminViews views;
    private final GatewayMonitor monitor;

    @Inject
    BackendToolsResource(BackendManager backends, Catalog catalog, AdminViews views, GatewayMonitor monitor) {
        this.backends = backends;
        this.catalog = catalog;
        this.views = views;
        this.monitor = monitor;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/backends/{id}/tools", request -> request.json(200, views.tools(BackendsResource.existing(backends, request.param("id")))))
                .post("/admin/backends/{id}/tools/{tool}/approve", this::approve);
    }

    private void approve(AdminRequest request) {
        String id = request.param("id");
        String tool = request.param("tool");
        BackendsResource.existing(backends, id);
        if (!catalog.approve(id, tool)) {
            throw HttpProblem.notFound("backend '" + id + "' offers no tool '" + tool + "'");
        }
        monitor.adminAction("approve-tool", id + "/" + tool, request.actor());
        request.json(200, JsonRpc.MAPPER.createObjectNode().put("approved", true));
    }
}
