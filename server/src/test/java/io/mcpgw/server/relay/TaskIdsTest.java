package io.mcpgw.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.spi.identity.Identity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

    private static final TaskIds.Named TASK = new TaskIds.Named("everything", "3f2c-native", "acme", "ci-bot");
    private static final String OLD_KEY = "an old key of sixteen+ characters";
    private static final String NEW_KEY = "the new key, also long enough";

    @Test
    void anIdOpensToWhatItWasSealedAround() {
        TaskIds ids = new TaskIds(new StateKeys(List.of(NEW_KEY)));
        String id = ids.seal(TASK);
        assertThat(id).doesNotContain("everything").doesNotContain("3f2c").doesNotContain("acme").matches("[A-Za-z0-9_-]+");
        assertThat(ids.open(id)).contains(TASK);
        assertThat(ids.seal(TASK)).as("a fresh nonce each time").isNotEqualTo(id);
    }

    @Test
    void anAlteredOrMadeUpIdOpensToNothing() {
        TaskIds ids = new TaskIds(new StateKeys(List.of(NEW_KEY)));
        String id = ids.seal(TASK);
        // 90 sealed bytes, a whole number of base64 groups: every character carries sealed bits
        for (int at = 0; at < id.length(); at++) {
            String altered = id.substring(0, at) + (id.charAt(at) == 'A' ? 'B' : 'A') + id.substring(at + 1);
            assertThat(ids.open(altered)).as("altered at %d", at).isEmpty();
        }
        assertThat(ids.open("task-1")).isEmpty();
        assertThat(ids.open("not base64 at all!")).isEmpty();
        assertThat(ids.open("")).isEmpty();
    }

    @Test
    void anIdSealedWithAnotherKeyOpensToNothing() {
        assertThat(new TaskIds(new StateKeys(List.of(OLD_KEY))).open(new TaskIds(new StateKeys(List.of(NEW_KEY))).seal(TASK))).isEmpty();
        assertThat(new TaskIds(new StateKeys(List.of())).open(new TaskIds(new StateKeys(List.of())).seal(TASK))).as("each process's random key is its own").isEmpty();
    }

    @Test
    void aRotatedInKeySealsWhileTheOldOneStillOpens() {
        String before = new TaskIds(new StateKeys(List.of(OLD_KEY))).seal(TASK);
        TaskIds rotated = new TaskIds(new StateKeys(List.of(NEW_KEY, OLD_KEY)));
        assertThat(rotated.open(before)).contains(TASK);
        assertThat(new TaskIds(new StateKeys(List.of(NEW_KEY))).open(rotated.seal(TASK))).contains(TASK);
    }

    @Test
    void ownershipIsTenantAndClient() {
        assertThat(TASK.ownedBy(new Identity("acme", "ci-bot", Set.of(), Map.of()))).isTrue();
        assertThat(TASK.ownedBy(new Identity("acme", "other", Set.of(), Map.of()))).isFalse();
        assertThat(TASK.ownedBy(new Identity("globex", "ci-bot", Set.of(), Map.of()))).isFalse();
    }
}
