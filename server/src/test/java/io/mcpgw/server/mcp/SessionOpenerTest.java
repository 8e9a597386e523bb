package io.mcpgw.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.identity.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way every transport opens a session: room, the tenant's admission, the negotiated revision, tracking. */
class SessionOpenerTest {

    private static final String TENANTS = """
            tenants:
              - id: acme
                quotas: { maxSessions: 1 }
            """;
    private static final Identity ALICE = new Identity("acme", "alice", Set.of(), Map.of());
    private static final Consumer<ObjectNode> NOWHERE = message -> { };

    @TempDir
    Path directory;

    @Test
    void anInitializeOverAChannelTransportGetsTheRevisionItAskedForAndATrackedAuditedSession() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, TENANTS)) {
            List<ObjectNode> channel = new ArrayList<>();
            SessionOpener.Opened opened = gateway.get(SessionOpener.class).open(View.AGGREGATE, ALICE,
                    initialize("2024-11-05"), ProtocolVersions.CHANNEL, channel::add);

            ClientSession session = opened.session();
            assertThat(session.protocolVersion()).isEqualTo("2024-11-05");
            assertThat(session.principal()).isEqualTo(ALICE);
            assertThat(gateway.get(SessionStore.class).get(session.id())).contains(session);
            assertThat(opened.result().path("protocolVersion").asText()).isEqualTo("2024-11-05");
            assertThat(opened.result().path("serverInfo").path("name").asText()).isEqualTo("mcpgw");
            assertThat(opened.result().path("serverInfo").path("version").asText()).isEqualTo(GatewayVersion.full());
            ObjectNode changed = JsonRpc.notification("notifications/tools/list_changed", null);
            session.sendUnsolicited(changed);
            assertThat(channel).as("what the session says on its own goes to the transport's channel").containsExactly(changed);
            List<JsonNode> events = gateway.events();
            assertThat(events).extracting(event -> event.path("type").asText()).containsExactly(AuditEventType.SESSION_START.wireName());
            assertThat(events.getFirst().path("session").asText()).isEqualTo(session.id());
            assertThat(events.getFirst().path("metadata").path("protocolVersion").asText()).isEqualTo("2024-11-05");
        }
    }

    @Test
    void theInitializeAnswerMayGoOnceTheSessionsStartIsWrittenToTheJournal() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, TENANTS)) {
            SessionOpener.Opened opened = gateway.get(SessionOpener.class).open(View.AGGREGATE, ALICE, initialize("2025-11-25"),
                    ProtocolVersions.STREAMABLE_HTTP, NOWHERE);

            opened.recorded().get(5, TimeUnit.SECONDS);
            String journal;
            try (Stream<Path> segments = Files.list(directory.resolve("data").resolve("audit-journal"))) {
                journal = segments.filter(file -> file.getFileName().toString().endsWith(".ndjson")).map(file -> {
                    try {
                        return Files.readString(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).collect(Collectors.joining());
            }
            assertThat(journal).as("the journal's segment, when the answer is released").contains("\"type\":\"session_start\"")
                    .contains(opened.session().id());
        }
    }

    @Test
    void aTenantAtItsMaxSessionsIsThrottledUntilOneOfItsSessionsEnds() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, TENANTS)) {
            SessionOpener opener = gateway.get(SessionOpener.class);
            ClientSession first = opener.open(View.AGGREGATE, ALICE, initialize("2025-11-25"), ProtocolVersions.STREAMABLE_HTTP, NOWHERE)
                    .session();

            assertThatThrownBy(() -> opener.open(View.AGGREGATE, ALICE, initialize("2025-11-25"), ProtocolVersions.STREAMABLE_HTTP,
                    NOWHERE))
                    .isInstanceOfSatisfying(GatewayException.class, refused -> {
                        assertThat(refused.code()).isEqualTo(ErrorCode.THROTTLED);
                        assertThat(refused.getMessage()).isEqualTo("tenant 'acme' has its 1 sessions open (maxSessions); end one first");
                    });
            assertThat(gateway.get(SessionStore.class).all()).containsExactly(first);

            gateway.get(SessionStore.class).remove(first.id());
            ClientSession next = opener.open(View.AGGREGATE, ALICE, initialize("2025-11-25"), ProtocolVersions.STREAMABLE_HTTP, NOWHERE)
                    .session();
            assertThat(gateway.get(SessionStore.class).all()).containsExactly(next);
        }
    }

    @Test
    void aTenantNotConfiguredIsRefusedAndNothingIsStored() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, TENANTS)) {
            Identity stranger = new Identity("other", "bob", Set.of(), Map.of());

            assertThatThrownBy(() -> gateway.get(SessionOpener.class).open(View.AGGREGATE, stranger, initialize("2025-11-25"),
                    ProtocolVersions.STREAMABLE_HTTP, NOWHERE))
                    .isInstanceOfSatisfying(GatewayException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThat(gateway.get(SessionStore.class).all()).isEmpty();
        }
    }

    @Test
    void aStatelessInitializeIsAnsweredWithTheNewestRevisionAndKeepsNoSession() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, TENANTS)) {
            SessionOpener opener = gateway.get(SessionOpener.class);

            ObjectNode result = opener.describe(View.AGGREGATE, ALICE, initialize("2099-01-01"), ProtocolVersions.STREAMABLE_HTTP);
            ClientSession ephemeral = opener.ephemeral(View.AGGREGATE, ALICE, Sessionless.legacy("2025-06-18", MissingNode.getInstance()));

            assertThat(result.path("protocolVersion").asText()).isEqualTo("2025-11-25");
            assertThat(ephemeral.id()).isEmpty();
            assertThat(ephemeral.protocolVersion()).isEqualTo("2025-06-18");
            assertThat(gateway.get(SessionStore.class).all()).isEmpty();
            assertThat(opener.open(View.AGGREGATE, ALICE, initialize("2025-11-25"), ProtocolVersions.STREAMABLE_HTTP, NOWHERE).session())
                    .as("neither counted against maxSessions").isNotNull();
        }
    }

    private static JsonNode initialize(String protocolVersion) {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", protocolVersion);
        params.putObject("capabilities").putObject("roots");
        params.putObject("clientInfo").put("name", "test").put("version", "1");
        return params;
    }
}
