package io.mcpgw.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which revision a client's {@code initialize} gets, per transport. */
class ProtocolVersionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2025-11-25", "2025-06-18", "2025-03-26"})
    void aRevisionTheGatewaySpeaksIsTheOneAgreed(String requested) {
        assertThat(ProtocolVersions.negotiate(requested, ProtocolVersions.STREAMABLE_HTTP)).isEqualTo(requested);
        assertThat(ProtocolVersions.negotiate(requested, ProtocolVersions.CHANNEL)).isEqualTo(requested);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2099-01-01", "2024-10-07", "", "latest"})
    void anyOtherRequestIsOfferedTheNewest(String requested) {
        assertThat(ProtocolVersions.negotiate(requested, ProtocolVersions.STREAMABLE_HTTP)).isEqualTo("2025-11-25");
    }

    @Test
    void theSseEraRevisionIsSpokenOnlyOverTheOneChannelTransports() {
        assertThat(ProtocolVersions.negotiate("2024-11-05", ProtocolVersions.CHANNEL)).isEqualTo("2024-11-05");
        assertThat(ProtocolVersions.negotiate("2024-11-05", ProtocolVersions.STREAMABLE_HTTP)).isEqualTo("2025-11-25");
    }

    @Test
    void bothListsAreNewestFirst() {
        assertThat(ProtocolVersions.STREAMABLE_HTTP).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(ProtocolVersions.CHANNEL).isSortedAccordingTo(Comparator.reverseOrder()).containsAll(ProtocolVersions.STREAMABLE_HTTP);
    }
}
