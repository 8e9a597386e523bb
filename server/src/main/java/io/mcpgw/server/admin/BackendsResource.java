package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.monitor.GatewayMonitor;
import java.io.IOException;
import java.time.Duration;

/**
 * The backends: {@code /admin/backends} (list, add), {@code /admin/backends/{id}} (show, redefine or add, remove)
 * and the operator's actions on one, {@code POST /admin/backends/{id}/enable|disable|drain|reset-circuit}.
 */
@Singleton
final class BackendsResource implements AdminResource {

    private final BackendManager backends;
    private final Operator operator;
    private final AdminViews views;
    private final GatewayMonitor monitor;
    private final Duration drainTimeout;

    @Inject
    BackendsResource(McpgwConfig config, BackendManager backends, Operator operator, AdminViews views, GatewayMonitor monitor) {
        this.backends = backends;
        this.operator = operator;
        this.views = views;
        this.monitor = monitor;
        this.drainTimeout = config.reload().drainTimeout();
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/backends", request -> request.json(200, AdminRequest.array(backends.all().stream().map(views::backend).toList())))
                .post("/admin/backends", this::add)
                .get("/admin/backends/{id}", request -> request.json(200, views.backend(existing(backends, request.param("id")))))
                .put("/admin/backends/{id}", this::put)
                .delete("/admin/backends/{id}", this::remove)
                .post("/admin/backends/{id}/{action}", this::act);
    }

    /** The backend with that id; 404 when there is none. */
    static Backend existing(BackendManager backends, String id) {
        return backends.get(id).orElseThrow(() -> noBackend(id));
    }

    private static HttpProblem noBackend(String id) {
        return HttpProblem.notFound("no backend '" + id + "'");
    }

    private void add(AdminRequest request) throws IOException, InterruptedException {
        BackendConfig config = request.section(BackendConfig.class, null);
        OperatorChange.make(() -> operator.addBackend(config));
        monitor.adminAction("add-backend", config.id(), request.actor());
        request.created("/admin/backends/" + config.id(), views.backend(existing(backends, config.id())));
    }

    /** Redefines the backend, or adds it when there is none with that id. */
    private void put(AdminRequest request) throws IOException, InterruptedException {
        String id = request.param("id");
        BackendConfig config = request.section(BackendConfig.class, id);
        Duration drain = request.drainTimeout(drainTimeout);
        if (OperatorChange.make(() -> operator.redefineBackend(config, drain)).isPresent()) {
            monitor.adminAction("redefine-backend", id, request.actor());
            request.json(200, views.backend(existing(backends, id)));
            return;
        }
        OperatorChange.make(() -> operator.addBackend(config));
        monitor.adminAction("add-backend", id, request.actor());
        request.json(201, views.backend(existing(backends, id)));
    }

    private void remove(AdminRequest request) throws InterruptedException {
        String id = request.param("id");
        operator.removeBackend(id, request.drainTimeout(drainTimeout)).orElseThrow(() -> noBackend(id));
        monitor.adminAction("remove-backend", id, request.actor());
        request.noContent();
    }

    private void act(AdminRequest request) throws InterruptedException {
        Backend backend = existing(backends, request.param("id"));
        String action = request.param("action");
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        switch (action) {
            case "enable" -> {
                if (!backend.enable() && backend.status().state() == BackendStatus.State.DRAINING) {
                    throw HttpProblem.conflict("backend '" + backend.id() + "' is draining; enable it once it is disabled");
                }
            }
            case "disable" -> result.put("callsCutShort", backend.drain(Duration.ZERO));
            case "drain" -> result.put("callsCutShort", backend.drain(request.drainTimeout(drainTimeout)));
            case "reset-circuit" -> backend.resetCircuit();
            default -> throw HttpProblem.notFound("No admin resource at " + request.path()
                    + " (actions: enable, disable, drain, reset-circuit)");
        }
        monitor.adminAction(action, backend.id(), request.actor());
        result.set("backend", views.backend(backend));
        request.json(200, result);
    }
}
