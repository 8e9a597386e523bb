package io.mcpgw.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.JsonRpc;
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
    void whatTheGetStreamWasToCarryBeforeTheClientOpenedItOrBetweenTwoOfItsConnectionsArrivesWhenItOpens()
            throws InterruptedException {
        session.sendUnsolicited(JsonRpc.request(TextNode.valueOf("mcpgw-1"), "roots/list", null));
        ByteArrayOutputStream opened = new ByteArrayOutputStream();
        SseChannel first = new SseChannel(opened);
        session.standalone().attach(first, true, 1000);
        session.sendUnsolicited(JsonRpc.request(TextNode.valueOf("mcpgw-2"), "ping", null));
        first.close();
        first.pump(1000);
        session.standalone().detach(first);
        session.sendUnsolicited(JsonRpc.request(TextNode.valueOf("mcpgw-3"), "ping", null));

        ByteArrayOutputStream reopened = new ByteArrayOutputStream();
        SseChannel second = new SseChannel(reopened);
        session.standalone().attach(second, true, 1000);
        second.close();
        second.pump(1000);

        assertThat(opened.toString(StandardCharsets.UTF_8)).contains("\"mcpgw-1\"", "\"mcpgw-2\"").doesNotContain("mcpgw-3");
        assertThat(reopened.toString(StandardCharsets.UTF_8)).contains("\"mcpgw-3\"").doesNotContain("mcpgw-1", "mcpgw-2");
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
