package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.governance.Governance;

/** {@code GET /admin/tenants}: each tenant's rules with what it uses now. */
@Singleton
final class TenantsResource implements AdminResource {

    private final Governance governance;

    @Inject
    TenantsResource(Governance governance) {
        this.governance = governance;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/tenants", request -> request.json(200, AdminRequest.array(governance.tenants().stream().map(AdminViews::tenant).toList())));
    }
}
