package io.mcpgw.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpProblemTest {

    @Test
    void aCodeThatNamesAStatusRefusesWithItAndItsTitle() {
        HttpProblem throttled = new HttpProblem(ErrorCode.THROTTLED, "slow down", Map.of("Retry-After", "3"));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.title()).isEqualTo("Too Many Requests");
        assertThat(throttled.code()).isEqualTo(ErrorCode.THROTTLED);
        assertThat(throttled.getMessage()).isEqualTo("slow down");
        assertThat(throttled.headers()).containsExactly(Map.entry("Retry-After", "3"));
        assertThat(new HttpProblem(ErrorCode.UNAUTHENTICATED, "who?").title()).isEqualTo("Unauthorized");
    }

    @Test
    void aStatusThatSaysMoreThanTheCodeKeepsItsRfc9110Title() {
        assertThat(new HttpProblem(413, ErrorCode.INVALID_REQUEST, "too big").title()).isEqualTo("Content Too Large");
        assertThat(new HttpProblem(405, ErrorCode.INVALID_REQUEST, "no").title()).isEqualTo("Method Not Allowed");
        assertThat(HttpProblem.notFound("gone").status()).isEqualTo(404);
        assertThat(HttpProblem.conflict("taken").title()).isEqualTo("Conflict");
        assertThat(HttpProblem.badRequest("bad").status()).isEqualTo(400);
    }

    @Test
    void aCodeAnsweredOnlyInAJsonRpcBodyIsNoHttpRefusal() {
        assertThatThrownBy(() -> new HttpProblem(ErrorCode.BACKEND_TIMEOUT, "late")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BACKEND_TIMEOUT");
    }

    @Test
    void aRefusalAnswersTheRequestWhoseIdItIsGiven() {
        HttpProblem refused = new HttpProblem(404, ErrorCode.INVALID_REQUEST, "Session not found", Map.of("X-Why", "gone"));
        assertThat(refused.requestId().isNull()).as("before the body is read").isTrue();
        HttpProblem answering = refused.forRequest(IntNode.valueOf(7));
        assertThat(answering.requestId()).isEqualTo(IntNode.valueOf(7));
        assertThat(answering.status()).isEqualTo(404);
        assertThat(answering.title()).isEqualTo("Not Found");
        assertThat(answering.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(answering.getMessage()).isEqualTo("Session not found");
        assertThat(answering.headers()).containsExactly(Map.entry("X-Why", "gone"));
    }
}
