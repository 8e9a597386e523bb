package io.mcpgw.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.spi.identity.Identity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientSessionTest {

    private final ClientSession session = new ClientSession("s", View.AGGREGATE, "2025-11-25", MissingNode.getInstance(),
            new Identity("default", "anonymous", Set.of(), Map.of()), 1000);

    @Test
    void resumedStreamReplaysWhatWasMissedThenFollows() throws InterruptedException {
        SseStream stream = session.openStream();
        ByteArrayOutputStream lost = new ByteArrayOutputStream();
        SseChannel first = new SseChannel(lost);
        stream.attach(first, true, 1000);
        first.close();
        first.pump(1000);
        String primingId = lost.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow().substring(4);
        stream.emit("{\"n\":1}");
        stream.emit("{\"n\":2}");

        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        SseChannel channel = new SseChannel(resumed);
        assertThat(session.resume(primingId, channel)).contains(stream);
        stream.emit("{\"n\":3}");
        stream.finish();
        channel.pump(1000);

        assertThat(resumed.toString(StandardCharsets.UTF_8)).contains("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(channel.isClosed()).isTrue();
    }

    @Test
    void getStreamsAreCountedUpToTheLimitAndAClosedOneFreesItsPlace() {
        assertThat(session.openGetStream(2)).isTrue();
        assertThat(session.openGetStream(2)).isTrue();
        assertThat(session.openGetStream(2)).as("a third").isFalse();
        assertThat(session.openGetStream(2)).as("a refusal takes no place").isFalse();
        session.getStreamClosed();
        assertThat(session.openGetStream(2)).as("once one closed").isTrue();
        assertThat(session.openGetStream(2)).isFalse();
    }

    @Test
    void onlyRecentStreamsStayResumableAndTheGetStreamAlways() {
        SseStream first = session.openStream();
        first.emit("{\"first\":true}");
        for (int i = 0; i < 100; i++) {
            session.openStream().emit("{}");
        }
        SseStream last = session.openStream();
        last.emit("{\"last\":true}");
        session.standalone().emit("{\"get\":true}");

        assertThat(session.resume(first.number() + "-0", new SseChannel(new ByteArrayOutputStream()))).isEmpty();
        assertThat(session.resume(last.number() + "-0", new SseChannel(new ByteArrayOutputStream()))).contains(last);
        assertThat(session.resume("0-0", new SseChannel(new ByteArrayOutputStream()))).contains(session.standalone());
    }

    @Test
    void unknownEventIdsResumeNothing() {
        assertThat(session.resume("garbage", new SseChannel(new ByteArrayOutputStream()))).isEmpty();
        assertThat(session.resume("99-1", new SseChannel(new ByteArrayOutputStream()))).isEmpty();
    }
}
