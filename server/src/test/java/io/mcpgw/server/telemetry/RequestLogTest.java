package io.mcpgw.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the request log shows of an answered request, through Log4j itself. */
class RequestLogTest {

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender = new AbstractAppender("request-log-test", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            events.add(event.toImmutable());
        }
    };
    private LoggerConfig requests;

    @BeforeEach
    void capture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        requests = new LoggerConfig(RequestLog.LOGGER.getName(), Level.DEBUG, false);
        appender.start();
        requests.addAppender(appender, Level.DEBUG, null);
        configuration.addLogger(requests.getName(), requests);
        context.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(requests.getName());
        context.updateLoggers();
        appender.stop();
        ThreadContext.clearMap();
    }

    @Test
    void anErrorIsLoggedAtTheLevelOfWhoseFaultItIs() {
        answer("tools/call", error(ErrorCode.INVALID_PARAMS.code(), "params must be an object"));
        answer("tools/call", error(ErrorCode.BACKEND_TIMEOUT.code(), "no answer in 30s"));
        answer("tools/call", error(-32000, "the backend's own failure"));
        answer("tools/call", error(ErrorCode.INTERNAL_ERROR.code(), "internal error"));
        assertThat(events).extracting(LogEvent::getLevel).containsExactly(Level.DEBUG, Level.INFO, Level.INFO, Level.WARN);
        assertThat(events).extracting(event -> event.getMessage().getFormattedMessage()).containsExactly(
                "tools/call answered error -32602 (user): params must be an object",
                "tools/call answered error -32011 (external): no answer in 30s",
                "tools/call answered error -32000 (external): the backend's own failure",
                "tools/call answered error -32603 (internal): internal error");
    }

    @Test
    void aFailedAnswerIsTheGatewaysOwnFault() {
        BiConsumer<ObjectNode, Throwable> log = RequestLog.answerOf("prompts/get");
        log.accept(null, new IllegalStateException("broken"));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getMessage().getFormattedMessage()).isEqualTo("prompts/get answered error -32603 (internal): "
                    + "java.lang.IllegalStateException: broken");
        });
    }

    @Test
    void theLineCarriesTheContextTheRequestWasAskedInAndAResultLogsNothing() {
        ThreadContext.put("tenant", "acme");
        ThreadContext.put("session", "s-1");
        BiConsumer<ObjectNode, Throwable> log = RequestLog.answerOf("tools/call");
        ThreadContext.clearMap();
        CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
        answer.whenComplete(log);
        answer.complete(error(ErrorCode.BACKEND_UNAVAILABLE.code(), "down"));
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getContextData().toMap()).containsEntry("tenant", "acme").containsEntry("session", "s-1");
        });
        assertThat(ThreadContext.getImmutableContext()).as("the answering thread's own context is left as it was").isEmpty();

        RequestLog.answerOf("tools/call").accept(JsonRpc.result(IntNode.valueOf(1), JsonRpc.MAPPER.createObjectNode()), null);
        assertThat(events).hasSize(1);
    }

    @Test
    void aMessageFromABackendIsCut() {
        answer("tools/call", error(-32000, "x".repeat(5000)));
        assertThat(events.getFirst().getMessage().getFormattedMessage()).hasSizeLessThan(200);
    }

    private static void answer(String method, ObjectNode response) {
        RequestLog.answerOf(method).accept(response, null);
    }

    private static ObjectNode error(int code, String message) {
        return JsonRpc.error(IntNode.valueOf(1), code, message);
    }
}
