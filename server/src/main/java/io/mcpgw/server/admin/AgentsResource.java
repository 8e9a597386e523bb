package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.monitor.GatewayMonitor;
import java.io.IOException;

/** Agents composed at run time: {@code /admin/agents} (list, add) and {@code /admin/agents/{name}} (show, remove). */
@Singleton
final class AgentsResource implements AdminResource {

    private final Agents agents;
    private final Operator operator;
    private final AdminViews views;
    private final GatewayMonitor monitor;

    @Inject
    AgentsResource(Agents agents, Operator operator, AdminViews views, GatewayMonitor monitor) {
        this.agents = agents;
        this.operator = operator;
        this.views = views;
        this.monitor = monitor;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/agents", request -> request.json(200, AdminRequest.array(agents.all().stream().map(views::agent).toList())))
                .post("/admin/agents", this::add)
                .get("/admin/agents/{name}", request -> {
                    String name = request.param("name");
                    request.json(200, views.agent(agents.get(name).orElseThrow(() -> noAgent(name))));
                })
                .delete("/admin/agents/{name}", this::remove);
    }

    private void add(AdminRequest request) throws IOException, InterruptedException {
        AgentConfig config = request.section(AgentConfig.class, null);
        Agents.Defined added = OperatorChange.make(() -> operator.addAgent(config));
        monitor.adminAction("add-agent", config.name(), request.actor());
        request.created("/admin/agents/" + config.name(), views.agent(added));
    }

    private void remove(AdminRequest request) {
        String name = request.param("name");
        try {
            operator.removeAgent(name).orElseThrow(() -> noAgent(name));
        } catch (IllegalStateException e) {
            throw HttpProblem.conflict(e.getMessage());
        }
        monitor.adminAction("remove-agent", name, request.actor());
        request.noContent();
    }

    private static HttpProblem noAgent(String name) {
        return HttpProblem.notFound("no agent '" + name + "'");
    }
}
