package io.mcpgw.server.admin;

/** One noun of the admin API: the routes it answers. */
interface AdminResource {

    void register(AdminRoutes routes);
}
