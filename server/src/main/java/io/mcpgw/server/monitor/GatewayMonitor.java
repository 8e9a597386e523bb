package io.mcpgw.server.monitor;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.telemetry.GatewayMetrics;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.identity.Identity;
import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What happens to the gateway itself, told once per fact: backends changing state, operators acting, tool
 * definitions changing under their pins, credentials refused. The monitor writes the log line, the metric and the
 * audit event (when the journal has anyone listening); the domain code only says what happened, in plain values.
 */
@Singleton
public final class GatewayMonitor {

    private static final Logger LOG = LogManager.getLogger(GatewayMonitor.class);

    private final AuditJournal journal;
    private final GatewayMetrics metrics;

    @Inject
    GatewayMonitor(AuditJournal journal, GatewayMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    /** A backend's state changed (health, or an operator's drain and enable); states in lower case, {@code detail} why. */
    public void backendStateChanged(String backendId, String from, String to, String detail) {
        switch (to) {
            case "up" -> LOG.info("Backend '{}' is healthy again ({} -> {})", backendId, from, to);
            case "degraded" -> LOG.warn("Backend '{}' health {} -> {}: its pings are slow or missed; still served", backendId, from, to);
            case "unavailable" -> LOG.warn("Backend '{}' health {} -> {}: {}; left out until it answers", backendId, from, to, detail);
            default -> LOG.info("Backend '{}' {} -> {}", backendId, from, to);
        }
        metrics.transition(backendId, "state", from, to);
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.BACKEND_HEALTH_CHANGED).backend(backendId).outcome(to)
                    .meta("from", from).build());
        }
    }

    /** A backend's circuit breaker moved, e.g. from {@code CLOSED} to {@code OPEN}. */
    public void circuitChanged(String backendId, String from, String to) {
        if (to.equals("OPEN")) {
            LOG.warn("Backend '{}' keeps failing: its circuit opened ({} -> {}); calls fail fast until it is probed", backendId, from, to);
        } else {
            LOG.info("Backend '{}' circuit {} -> {}", backendId, from, to);
        }
        String was = from.toLowerCase(Locale.ROOT);
        String now = to.toLowerCase(Locale.ROOT);
        metrics.transition(backendId, "circuit", was, now);
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.CIRCUIT_STATE_CHANGED).backend(backendId).outcome(now)
                    .meta("from", was).build());
        }
    }

    /** An operator changed something through the admin API. */
    public void adminAction(String action, String target, String actor) {
        LOG.info("Admin: {} {} by {}", action, target, actor);
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.ADMIN_ACTION).outcome("ok").meta("action", action)
                    .meta("target", target).meta("by", actor).build());
        }
    }

    /** The configuration was reloaded ({@code trigger}: the admin API, the file watch, a signal), with what changed. */
    public void reloaded(String trigger, String summary, int sessionsEnded) {
        LOG.info("Configuration reloaded ({}): {}; {} sessions ended", trigger, summary, sessionsEnded);
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.ADMIN_ACTION).outcome("ok").meta("action", "reload")
                    .meta("by", trigger).meta("summary", summary).build());
        }
    }

    /** A reload was refused, and nothing changed. */
    public void reloadRefused(String trigger, String reason) {
        LOG.error("Configuration reload ({}) refused, nothing changed: {}", trigger, reason);
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.ADMIN_ACTION).outcome("error").meta("action", "reload")
                    .meta("by", trigger).meta("reason", reason).build());
        }
    }

    /**
     * A backend changed the definition of a pinned tool ({@code tool} by its own name, {@code namespaced} as clients
     * see it): the hash it was pinned to and the one it has now; {@code blocked} when it is hidden until approved,
     * otherwise it is still served.
     */
    public void pinChanged(String backendId, String tool, String namespaced, String pinned, String now, boolean blocked) {
        LOG.warn("Backend '{}' changed the definition of tool '{}' after it was pinned ({} -> {}); {}", backendId, tool, pinned, now,
                blocked ? "it is blocked until approved" : "it is still served (pinning: warn)");
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.TOOL_DEFINITION_CHANGED).backend(backendId).tool(namespaced)
                    .outcome(blocked ? "blocked" : "served").meta("pinned", pinned).meta("now", now).build());
        }
    }

    /**
     * Credentials from {@code address} were refused on {@code listener} ({@code client} or {@code admin}), the
     * {@code failures}th time within its minute; the log hears of the first and of the one that reaches {@code limit}.
     */
    public void authenticationFailed(String address, String listener, String reason, int failures, int limit) {
        if (failures == 1) {
            LOG.warn("Failed authentication from {} on the {} listener: {}", address, listener, reason);
        } else if (failures == limit) {
            LOG.warn("{} failed authentications from {} within a minute: its requests are refused (429) for the rest of it"
                    + " (server.authFailuresPerMinute)", limit, address);
        }
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.AUTH_FAILED).outcome("deny")
                    .errorCode(ErrorCode.UNAUTHENTICATED.code()).meta("source", address).meta("listener", listener)
                    .meta("reason", reason).build());
        }
    }

    /** {@code presented} sent the id of a session that {@code owner} opened: someone holds another's session id. */
    public void sessionClaimed(Identity presented, String sessionId, Identity owner) {
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.POLICY_DECISION).principal(presented).sessionId(sessionId)
                    .outcome("deny").errorCode(ErrorCode.INVALID_REQUEST.code())
                    .meta("reason", "the session belongs to " + owner.tenant() + "/" + owner.client()).build());
        }
    }
}
