package io.mcpgw.server.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    /** The 2026-07-28 codes that share their numbers with the gateway's own, older ones; the status tells them apart. */
    private static final Map<ErrorCode, ErrorCode> SAME_NUMBER = Map.of(ErrorCode.HEADER_MISMATCH, ErrorCode.UNAUTHENTICATED,
            ErrorCode.MISSING_CLIENT_CAPABILITY, ErrorCode.FORBIDDEN, ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, ErrorCode.POLICY_DENIED);

    @Test
    void everyCodeIsItsOwnAndKnowsItsKind() {
        assertThat(Arrays.stream(ErrorCode.values()).filter(code -> !SAME_NUMBER.containsKey(code)).map(ErrorCode::code)).doesNotHaveDuplicates();
        SAME_NUMBER.forEach((modern, older) -> {
            assertThat(modern.code()).as(modern.name()).isEqualTo(older.code());
            assertThat(modern.kind()).as(modern.name()).isEqualTo(older.kind());
            assertThat(modern.httpStatus()).as(modern.name()).isEqualTo(OptionalInt.of(400)).isNotEqualTo(older.httpStatus());
        });
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
