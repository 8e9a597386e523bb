package io.mcpgw.server.session;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.telemetry.Telemetry;

/** What is read of the sessions when metrics are collected: how many are open. */
@Singleton
public final class SessionGauge {

    @Inject
    SessionGauge(Telemetry telemetry, SessionStore sessions) {
        telemetry.meter().upDownCounterBuilder("mcpgw.sessions.active").setDescription("Client sessions open")
                .buildWithCallback(gauge -> gauge.record(sessions.count()));
    }
}
