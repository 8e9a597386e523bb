package io.mcpgw.server.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.telemetry.GatewayMetrics;
import io.mcpgw.spi.audit.AuditEventType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What clients do, told once per fact: sessions started and ended, the decision on each invocation, halts, sampling
 * rewrites, and each invocation's start and end. The monitor writes the audit event (when the journal has anyone
 * listening) and the metric; the domain code only says what happened.
 */
@Singleton
public final class ClientMonitor {

    private final AuditJournal journal;
    private final GatewayMetrics metrics;

    @Inject
    ClientMonitor(AuditJournal journal, GatewayMetrics metrics) {
        this.journal = journal;
        this.metrics = metrics;
    }

    public void sessionStarted(MonitoredSession session) {
        metrics.sessionStarted(session.principal().tenant());
        if (journal.enabled()) {
            journal.record(about(AuditEventType.SESSION_START, session).meta("protocolVersion", session.protocolVersion()).build());
        }
    }

    public void sessionEnded(MonitoredSession session) {
        metrics.sessionEnded(session.principal().tenant());
        if (journal.enabled()) {
            journal.record(about(AuditEventType.SESSION_END, session).durationMicros(session.age().toNanos() / 1000).build());
        }
    }

    /**
     * The decision on one invocation: allowed ({@code refused} empty), or refused with the code and rule the client was
     * told, with what the policies added (e.g. a decision id). A throttle is counted by its quota.
     */
    public void decided(MonitoredInvocation invocation, Optional<GatewayException> refused, Map<String, String> facts) {
        refused.filter(refusal -> refusal.code() == ErrorCode.THROTTLED).ifPresent(throttle -> metrics.throttled(
                invocation.session().principal().tenant(),
                throttle.data().map(data -> data.path("quota").asText("policy")).orElse("policy")));
        if (!journal.enabled()) {
            return;
        }
        AuditEventBuilder event = about(AuditEventType.POLICY_DECISION, invocation.session()).backend(invocation.backendId())
                .tool(invocation.namespacedTarget()).requestId(invocation.requestId());
        if (refused.isEmpty()) {
            event.outcome("allow");
        } else {
            GatewayException refusal = refused.get();
            event.outcome(refusal.code() == ErrorCode.THROTTLED ? "throttle" : "deny").errorCode(refusal.code().code())
                    .meta("reason", refusal.getMessage());
            refusal.data().map(data -> data.path("quota").asText(data.path("code").asText(""))).filter(rule -> !rule.isEmpty())
                    .ifPresent(rule -> event.meta("rule", rule));
        }
        facts.forEach(event::meta);
        journal.record(event.build());
    }

    /** The session passed one of its halting limits: it answers only errors from now on. */
    public void halted(MonitoredSession session, String reason) {
        if (journal.enabled()) {
            journal.record(about(AuditEventType.HALTED, session).outcome("halted").errorCode(ErrorCode.HALTED.code())
                    .meta("reason", reason).build());
        }
    }

    /** A backend's {@code sampling/createMessage} was fitted to the session's sampling rules. */
    public void samplingRewritten(MonitoredSession session, String backendId, List<String> changes) {
        if (journal.enabled()) {
            journal.record(sampling(session, backendId).outcome("rewrite").meta("changes", String.join("; ", changes)).build());
        }
    }

    /** A backend's {@code sampling/createMessage} was refused: the session is past a sampling rate. */
    public void samplingRefused(MonitoredSession session, String backendId, GatewayException refused) {
        if (journal.enabled()) {
            journal.record(sampling(session, backendId).outcome("throttle").errorCode(refused.code().code())
                    .meta("reason", refused.getMessage()).build());
        }
    }

    /** The invocation was admitted and is about to be sent, with its arguments when the journal is to keep them. */
    public void invocationStarted(MonitoredInvocation invocation) {
        if (journal.enabled()) {
            AuditEventBuilder event = invocationEvent(AuditEventType.INVOCATION_START, invocation);
            if (journal.includeArguments() && invocation.arguments() != null) {
                event.meta("arguments", JsonRpc.write(invocation.arguments()));
            }
            journal.record(event.build());
        }
    }

    /** The invocation was admitted but could not be sent: its backend refused the session or its credentials are missing. */
    public void invocationUnavailable(MonitoredInvocation invocation, GatewayException unavailable) {
        if (journal.enabled()) {
            journal.record(invocationEvent(AuditEventType.INVOCATION_FAILED, invocation).outcome("error")
                    .errorCode(unavailable.code().code()).meta("reason", unavailable.getMessage()).build());
        }
    }

    /**
     * How the invocation ended after {@code nanos}: a result (a tool's own error counts as one), or an error from the
     * backend or the gateway. Counted by backend, method and (for tools and prompts) name.
     */
    public void invocationEnded(MonitoredInvocation invocation, ObjectNode answer, long nanos) {
        JsonNode error = answer.get("error");
        String method = invocation.method();
        metrics.callEnded(invocation.backendId(), method,
                method.equals("resources/read") || method.equals("completion/complete") ? Optional.empty() : Optional.of(invocation.namespacedTarget()),
                nanos, error == null ? Optional.empty() : Optional.of(error.path("code").asInt()));
        if (!journal.enabled()) {
            return;
        }
        AuditEventBuilder event = invocationEvent(error == null ? AuditEventType.INVOCATION_COMPLETE : AuditEventType.INVOCATION_FAILED,
                invocation).durationMicros(nanos / 1000);
        if (error != null) {
            event.outcome(invocation.cancelledByClient() ? "cancelled" : "error").errorCode(error.path("code").asInt());
        } else {
            event.outcome(answer.path("result").path("isError").asBoolean() ? "tool_error" : "ok");
        }
        journal.record(event.build());
    }

    private static AuditEventBuilder invocationEvent(AuditEventType type, MonitoredInvocation invocation) {
        return about(type, invocation.session()).backend(invocation.backendId()).tool(invocation.namespacedTarget())
                .requestId(invocation.requestId()).meta("method", invocation.method());
    }

    private static AuditEventBuilder sampling(MonitoredSession session, String backendId) {
        return about(AuditEventType.POLICY_DECISION, session).backend(backendId).tool("sampling/createMessage");
    }

    /** An event about the session: its principal, its id (a stateless request's session has none) and its agent. */
    private static AuditEventBuilder about(AuditEventType type, MonitoredSession session) {
        AuditEventBuilder event = AuditEventBuilder.event(type).principal(session.principal());
        if (!session.id().isEmpty()) {
            event.sessionId(session.id());
        }
        session.agentName().ifPresent(event::agent);
        return event;
    }
}
