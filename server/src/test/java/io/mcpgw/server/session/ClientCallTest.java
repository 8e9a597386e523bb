package io.mcpgw.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.Caller;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.identity.Identity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where what a backend says about a client's call reaches the client, through the {@link Caller} egress knows. */
class ClientCallTest {

    private static final Identity ALICE = new Identity("default", "alice", Set.of(), Map.of());

    @TempDir
    Path directory;

    private final List<ObjectNode> onTheCallsStream = new ArrayList<>();
    private final List<ObjectNode> onTheSessionsChannel = new ArrayList<>();

    @Test
    void aMessageGoesWithTheAnswerWhileTheCallIsServedThenToTheSessionsChannelThenNowhereOnceTheSessionEnded() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, "")) {
            SessionStore sessions = gateway.get(SessionStore.class);
            ClientSession session = sessions.create(View.AGGREGATE, "2025-11-25", MissingNode.getInstance(), ALICE,
                    onTheSessionsChannel::add);
            ClientCall call = session.startCall(IntNode.valueOf(1), onTheCallsStream::add);
            Caller caller = call;
            ObjectNode during = progress(1);
            ObjectNode after = progress(2);
            ObjectNode ended = progress(3);

            caller.deliver(during);
            session.endCall(call);
            caller.deliver(after);
            sessions.remove(session.id());
            caller.deliver(ended);

            assertThat(onTheCallsStream).containsExactly(during);
            assertThat(onTheSessionsChannel).containsExactly(after);
        }
    }

    @Test
    void aLogMessageBelowTheLevelTheClientAskedForIsNotDelivered() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, "")) {
            ClientSession session = gateway.get(SessionStore.class)
                    .create(View.AGGREGATE, "2025-11-25", MissingNode.getInstance(), ALICE, onTheSessionsChannel::add);
            ClientCall call = session.startCall(IntNode.valueOf(1), onTheCallsStream::add);
            session.logLevel(LogLevel.WARNING);
            ObjectNode info = log("info");
            ObjectNode error = log("error");
            ObjectNode unnamed = log("loud");
            ObjectNode progress = progress(1);

            call.deliver(info);
            call.deliver(error);
            call.deliver(unnamed);
            call.deliver(progress);

            assertThat(onTheCallsStream).as("a level it does not know counts as the most severe").containsExactly(error, unnamed, progress);
        }
    }

    private static ObjectNode progress(int progress) {
        return JsonRpc.notification("notifications/progress",
                JsonRpc.MAPPER.createObjectNode().put("progressToken", "t").put("progress", progress));
    }

    private static ObjectNode log(String level) {
        return JsonRpc.notification("notifications/message", JsonRpc.MAPPER.createObjectNode().put("level", level).put("data", level));
    }
}
