package io.mcpgw.server.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** The codes JSON-RPC, MCP 2025-11-25 and MCP 2026-07-28 define; every other one is the gateway's own. */
    private static final Set<ErrorCode> SPECIFIED = EnumSet.of(ErrorCode.PARSE_ERROR, ErrorCode.INVALID_REQUEST, ErrorCode.METHOD_NOT_FOUND,
            ErrorCode.INVALID_PARAMS, ErrorCode.INTERNAL_ERROR, ErrorCode.REQUEST_TIMEOUT, ErrorCode.REQUEST_CANCELLED,
            ErrorCode.RESOURCE_NOT_FOUND, ErrorCode.HEADER_MISMATCH, ErrorCode.MISSING_CLIENT_CAPABILITY, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);

    @Test
    void everyCodeIsItsOwnAndKnowsItsKind() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates();
        assertThat(ErrorCode.HEADER_MISMATCH.code()).isEqualTo(-32020);
        assertThat(ErrorCode.MISSING_CLIENT_CAPABILITY.code()).isEqualTo(-32021);
        assertThat(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION.code()).isEqualTo(-32022);
        Arrays.stream(ErrorCode.values()).filter(code -> !SPECIFIED.contains(code)).forEach(own -> assertThat(own.code())
                .as(own.name() + " lies in the range MCP leaves to implementations").isBetween(-32019, -32000));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.kindOf(code.code())).as(code.name()).isEqualTo(code.kind());
        }
        assertThat(ErrorCode.kindOf(-32602)).isEqualTo(ErrorCode.Kind.USER);
        assertThat(ErrorCode.kindOf(-32011)).isEqualTo(ErrorCode.Kind.EXTERNAL);
        assertThat(ErrorCode.kindOf(-32603)).isEqualTo(ErrorCode.Kind.INTERNAL);
        assertThat(ErrorCode.kindOf(-32000)).as("a backend's own code").isEqualTo(ErrorCode.Kind.EXTERNAL);
        assertThat(ErrorCode.Kind.EXTERNAL.label()).isEqualTo("external");
    }

    @Test
    void theCodesRefusedAtTheHttpLevelNameTheirStatus() {
        assertThat(ErrorCode.PARSE_ERROR.httpStatus()).isEqualTo(OptionalInt.of(400));
        assertThat(ErrorCode.INVALID_REQUEST.httpStatus()).isEqualTo(OptionalInt.of(400));
        assertThat(ErrorCode.UNAUTHENTICATED.httpStatus()).isEqualTo(OptionalInt.of(401));
        assertThat(ErrorCode.FORBIDDEN.httpStatus()).isEqualTo(OptionalInt.of(403));
        assertThat(ErrorCode.THROTTLED.httpStatus()).isEqualTo(OptionalInt.of(429));
        assertThat(ErrorCode.INTERNAL_ERROR.httpStatus()).isEqualTo(OptionalInt.of(500));
        assertThat(ErrorCode.BACKEND_TIMEOUT.httpStatus()).as("answered in a JSON-RPC body").isEmpty();
        for (ErrorCode code : ErrorCode.values()) {
            code.httpStatus().ifPresent(status -> assertThat(status).as(code.name()).isBetween(400, 599));
        }
    }
}
