package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.telemetry.CallSeries;

/** {@code GET /admin/calls?seconds=&step=}: per backend, the last minutes of forwarded calls in steps. */
@Singleton
final class CallsResource implements AdminResource {

    private static final int DEFAULT_STEP = 5;

    private final CallSeries calls;
    private final BackendManager backends;

    @Inject
    CallsResource(CallSeries calls, BackendManager backends) {
        this.calls = calls;
        this.backends = backends;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/calls", request -> {
            int seconds = request.intParameter("seconds", CallSeries.SECONDS, CallSeries.SECONDS);
            int step = request.intParameter("step", DEFAULT_STEP, seconds);
            request.json(200, AdminViews.calls(calls.window(backends.all().stream().map(Backend::id).toList(), seconds, step)));
        });
    }
}
