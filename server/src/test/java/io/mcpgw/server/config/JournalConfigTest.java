package io.mcpgw.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The journal's keys as a user writes them: defaults, and values that cannot work named at their key. */
class JournalConfigTest {

    private final ConfigLoader loader = new ConfigLoader(name -> null);

    private McpgwConfig parse(String yaml) {
        return loader.parse(yaml, "conf/mcpgw.yaml");
    }

    @Test
    void defaultsFsyncEvery50MillisecondsIn16MiBSegmentsWithinOneGiB() {
        JournalConfig journal = parse("").journal();
        assertThat(journal.fsyncInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(journal.segmentBytes()).isEqualTo(16L * 1024 * 1024);
        assertThat(journal.maxBytes()).isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void theKeysAreReadAndBadValuesNamed() {
        JournalConfig journal = parse("""
                journal:
                  fsyncInterval: 0s
                  segmentBytes: 1048576
                  maxBytes: 4194304
                """).journal();
        assertThat(journal.fsyncInterval()).isZero();
        assertThat(journal.segmentBytes()).isEqualTo(1048576);
        assertThat(journal.maxBytes()).isEqualTo(4194304);

        assertThatThrownBy(() -> parse("journal:\n  fsyncInterval: -1s\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.fsyncInterval: expected a duration");
        assertThatThrownBy(() -> parse("journal:\n  segmentBytes: 1048576\n  maxBytes: 1048576\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("maxBytes: must be at least twice segmentBytes");
        assertThatThrownBy(() -> parse("journal:\n  fsyncIntervall: 10ms\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("fsyncInterval");
    }
}
