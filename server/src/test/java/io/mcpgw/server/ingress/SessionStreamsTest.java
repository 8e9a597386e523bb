package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE streams of one Streamable HTTP session: resumption, the GET stream, the count of GET streams. */
class SessionStreamsTest {

    private final SessionStreams streams = new SessionStreams(1000);

    @Test
    void resumedStreamReplaysWhatWasMissedThenFollows() throws InterruptedException {
        SseStream stream = streams.openStream();
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
        assertThat(streams.resume(primingId, channel)).contains(stream);
        stream.emit("{\"n\":3}");
        stream.finish();
        channel.pump(1000);

        assertThat(resumed.toString(StandardCharsets.UTF_8)).contains("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(channel.isClosed()).isTrue();
    }

    @Test
    void aStreamResumedFromAnEventIdReplaysExactlyTheEventsAfterItInOrder() throws InterruptedException {
        SseStream stream = streams.openStream();
        streams.openStream().emit("{\"other\":true}");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        SseChannel first = new SseChannel(seen);
        stream.attach(first, false, 1000);
        stream.emit("{\"n\":1}");
        stream.emit("{\"n\":2}");
        stream.emit("{\"n\":3}");
        first.close();
        first.pump(1000);
        List<String> ids = seen.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("id: "))
                .map(line -> line.substring(4)).toList();
        assertThat(ids).hasSize(3);

        ByteArrayOutputStream resumed = new ByteArrayOutputStream();
        SseChannel channel = new SseChannel(resumed);
        assertThat(streams.resume(ids.getFirst(), channel)).contains(stream);
        stream.finish();
        channel.pump(1000);

        assertThat(resumed.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isEmpty()).toList()).containsExactly(
                "id: " + ids.get(1), "event: message", "data: {\"n\":2}",
                "id: " + ids.get(2), "event: message", "data: {\"n\":3}");
    }

    @Test
    void whatTheGetStreamWasToCarryBeforeTheClientOpenedItOrBetweenTwoOfItsConnectionsArrivesWhenItOpens()
            throws InterruptedException {
        streams.sendUnsolicited(JsonRpc.request(TextNode.valueOf("mcpgw-1"), "roots/list", null));
        ByteArrayOutputStream opened = new ByteArrayOutputStream();
        SseChannel first = new SseChannel(opened);
        streams.standalone().attach(first, true, 1000);
        streams.sendUnsolicited(JsonRpc.request(TextNode.valueOf("mcpgw-2"), "ping", null));
        first.close();
        first.pump(1000);
        streams.standalone().detach(first);
        streams.sendUnsolicited(JsonRpc.request(TextNode.valueOf("mcpgw-3"), "ping", null));

        ByteArrayOutputStream reopened = new ByteArrayOutputStream();
        SseChannel second = new SseChannel(reopened);
        streams.standalone().attach(second, true, 1000);
        second.close();
        second.pump(1000);

        assertThat(opened.toString(StandardCharsets.UTF_8)).contains("\"mcpgw-1\"", "\"mcpgw-2\"").doesNotContain("mcpgw-3");
        assertThat(reopened.toString(StandardCharsets.UTF_8)).contains("\"mcpgw-3\"").doesNotContain("mcpgw-1", "mcpgw-2");
    }

    @Test
    void getStreamsAreCountedUpToTheLimitAndAClosedOneFreesItsPlace() {
        assertThat(streams.openGetStream(2)).isTrue();
        assertThat(streams.openGetStream(2)).isTrue();
        assertThat(streams.openGetStream(2)).as("a third").isFalse();
        assertThat(streams.openGetStream(2)).as("a refusal takes no place").isFalse();
        streams.getStreamClosed();
        assertThat(streams.openGetStream(2)).as("once one closed").isTrue();
        assertThat(streams.openGetStream(2)).isFalse();
    }

    @Test
    void onlyRecentStreamsStayResumableAndTheGetStreamAlways() {
        SseStream first = streams.openStream();
        first.emit("{\"first\":true}");
        for (int i = 0; i < 100; i++) {
            streams.openStream().emit("{}");
        }
        SseStream last = streams.openStream();
        last.emit("{\"last\":true}");
        streams.standalone().emit("{\"get\":true}");

        assertThat(streams.resume(first.number() + "-0", new SseChannel(new ByteArrayOutputStream()))).isEmpty();
        assertThat(streams.resume(last.number() + "-0", new SseChannel(new ByteArrayOutputStream()))).contains(last);
        assertThat(streams.resume("0-0", new SseChannel(new ByteArrayOutputStream()))).contains(streams.standalone());
    }

    @Test
    void unknownEventIdsResumeNothing() {
        assertThat(streams.resume("garbage", new SseChannel(new ByteArrayOutputStream()))).isEmpty();
        assertThat(streams.resume("99-1", new SseChannel(new ByteArrayOutputStream()))).isEmpty();
    }
}
