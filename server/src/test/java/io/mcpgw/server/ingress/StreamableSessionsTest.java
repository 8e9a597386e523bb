package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.mcp.ProtocolVersions;
import io.mcpgw.server.mcp.SessionOpener;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.spi.identity.Identity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streams of each Streamable HTTP session: what the session says on its own, and their end with the session. */
class StreamableSessionsTest {

    private static final Identity ALICE = new Identity("default", "alice", Set.of(), Map.of());

    @TempDir
    Path directory;

    @Test
    void whatASessionSaysOnItsOwnWaitsOnItsGetStreamAndTheStreamsEndAndGoWithTheSession() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, "")) {
            StreamableSessions streams = gateway.get(StreamableSessions.class);
            SessionStreams opening = streams.create();
            ClientSession session = gateway.get(SessionOpener.class)
                    .open(View.AGGREGATE, ALICE, initialize(), ProtocolVersions.STREAMABLE_HTTP, opening::sendUnsolicited).session();
            streams.keep(session, opening);
            assertThat(streams.of(session)).isSameAs(opening);

            session.sendUnsolicited(JsonRpc.notification("notifications/tools/list_changed", null));
            ByteArrayOutputStream get = new ByteArrayOutputStream();
            SseChannel channel = new SseChannel(get);
            streams.of(session).standalone().attach(channel, false, 1000);
            gateway.get(SessionStore.class).remove(session.id());
            channel.pump(1000);

            assertThat(get.toString(StandardCharsets.UTF_8)).contains("notifications/tools/list_changed");
            assertThat(channel.isClosed()).as("the GET stream ended with the session").isTrue();
            assertThat(streams.of(session)).as("dropped with the session").isNotSameAs(opening);
        }
    }

    private static ObjectNode initialize() {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", "2025-11-25");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "test").put("version", "1");
        return params;
    }
}
