package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.JsonRpc;

/** A backend's tools with their descriptor hashes and pins, {@code /admin/backends/{id}/tools}, and approving a changed one. */
@Singleton
final class BackendToolsResource implements AdminResource {

    private final BackendManager backends;
    private final Catalog catalog;
    private final AdminViews views;
    private final AdminAudit audit;

    @Inject
    BackendToolsResource(BackendManager backends, Catalog catalog, AdminViews views, AdminAudit audit) {
        this.backends = backends;
        this.catalog = catalog;
        this.views = views;
        this.audit = audit;
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
        audit.audit(request, "approve-tool", id + "/" + tool);
        request.json(200, JsonRpc.MAPPER.createObjectNode().put("approved", true));
    }
}
