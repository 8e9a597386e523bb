package io.mcpgw.plugins.audit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built plugin zip in a real gateway's {@code plugins/} directory, writing to a real PostgreSQL that is stopped
 * and started again while calls go on. A {@code file} sink in the same gateway is the record of what the journal sent.
 */
class PostgresAuditIT {

    @TempDir
    Path home;

    private EmbeddedPostgres postgres;
    private Path data;
    private int port;
    private Path file;

    @BeforeEach
    void startPostgres() throws Exception {
        data = home.resolve("pgdata");
        postgres = startPostgres(data, 0);
        port = postgres.getPort();
        file = home.resolve("audit.ndjson");
    }

    @AfterEach
    void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private TestingGateway gateway(Path file, int port) throws Exception {
        TestingGateway.installBuiltPlugin(home);
        return TestingGateway.start(home, """
                server:
                  shutdownTimeout: 2s
                audit:
                  - type: postgres
                    url: jdbc:postgresql://127.0.0.1:%d/postgres
                    user: postgres
                    schema: audit
                    table: events
                    connectTimeout: 1s
                  - type: file
                    path: %s
                journal:
                  batchSize: 20
                  maxBackoff: 1s
                backends:
                  - id: demo
                    transport: stdio
                    command: %s
                """.formatted(port, file, JavaCommand.yaml(DemoBackend.class))).awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void everyEventLandsOnceWithEveryFieldAcrossADatabaseOutage() throws Exception {
        try (TestingGateway gateway = gateway(file, port)) {
            assertThat(gateway.gateway().plugins()).anyMatch(plugin -> plugin.id().equals("audit-postgres"));
            RawMcp.echoSessions(gateway, "demo__echo", 2, 5);
            await().atMost(Duration.ofSeconds(30)).until(() -> count() == lines(file).size());

            postgres.close();
            RawMcp.echoSessions(gateway, "demo__echo", 2, 5);
            Thread.sleep(1500);
            postgres = startPostgres(data, port);
            RawMcp.echoSessions(gateway, "demo__echo", 2, 5);

            await().atMost(Duration.ofSeconds(60)).until(() -> count() >= lines(file).size());
            Thread.sleep(1500);
            List<JsonNode> written = lines(file);
            assertThat(count()).as("every event once: nothing lost, nothing doubled").isEqualTo(written.size());
            Map<String, JsonNode> byId = new HashMap<>();
            written.forEach(event -> byId.put(event.path("id").asText(), event));
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT * FROM audit.events")) {
                while (rows.next()) {
                    JsonNode event = byId.remove(rows.getString("event_id"));
                    assertThat(event).as("a row for an event the journal wrote").isNotNull();
                    assertThat(Duration.between(rows.getTimestamp("occurred_at").toInstant(), Instant.parse(event.path("time").asText())).abs())
                            .as("timestamptz keeps microseconds").isLessThanOrEqualTo(Duration.ofNanos(500));
                    assertThat(rows.getString("type")).isEqualTo(event.path("type").asText());
                    for (String[] column : new String[][] {{"tenant", "tenant"}, {"client", "client"}, {"session", "session"},
                            {"backend", "backend"}, {"tool", "tool"}, {"request_id", "requestId"}, {"outcome", "outcome"},
                            {"error_code", "errorCode"}}) {
                        assertThat(rows.getString(column[0])).as(column[0]).isEqualTo(event.path(column[1]).textValue());
                    }
                    long micros = rows.getLong("duration_micros");
                    assertThat(rows.wasNull() ? null : micros).isEqualTo(event.has("durationMicros") ? event.path("durationMicros").asLong() : null);
                    JsonNode metadata = JsonRpc.MAPPER.readTree(rows.getString("metadata"));
                    assertThat(metadata).isEqualTo(event.has("metadata") ? event.path("metadata") : JsonRpc.MAPPER.createObjectNode());
                }
            }
            assertThat(byId).as("no event left without its row").isEmpty();
        }

        try (TestingGateway again = gateway(file, port); Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            RawMcp.echoSessions(again, "demo__echo", 1, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> count() == lines(file).size());
            try (ResultSet versions = statement.executeQuery("SELECT version FROM audit.events_schema ORDER BY version")) {
                List<Integer> applied = new ArrayList<>();
                while (versions.next()) {
                    applied.add(versions.getInt(1));
                }
                assertThat(applied).as("a restart migrates nothing twice").containsExactly(1);
            }
            try (ResultSet plan = statement.executeQuery(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = 'audit' AND tablename = 'events' ORDER BY indexname")) {
                List<String> indexes = new ArrayList<>();
                while (plan.next()) {
                    indexes.add(plan.getString(1));
                }
                assertThat(indexes).containsExactly("events_pkey", "events_request", "events_tenant_time");
            }
        }
    }

    @Test
    void whatTheJournalHeldWhileTheDatabaseWasDownArrivesOnceAfterAGatewayRestart() throws Exception {
        try (TestingGateway gateway = gateway(file, port)) {
            RawMcp.echoSessions(gateway, "demo__echo", 1, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> count() == lines(file).size());
            postgres.close();
            RawMcp.echoSessions(gateway, "demo__echo", 2, 5);
        }
        List<String> written;
        List<String> stored = new ArrayList<>();
        try (TestingGateway again = gateway(file, port)) {
            RawMcp.echoSessions(again, "demo__echo", 2, 5);
            postgres = startPostgres(data, port);
            await().atMost(Duration.ofSeconds(60)).until(() -> count() >= lines(file).size());
            Thread.sleep(1500);
            written = ids(lines(file));
            try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT event_id FROM audit.events")) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        assertThat(written).as("calls before, during and after the outage, across the restart").hasSizeGreaterThan(40);
        assertThat(stored).as("every event the journal held across the restart").containsAll(written).doesNotHaveDuplicates();
        // Events may still come after the file was read (sessions ending): each must be one the file has once it is whole.
        assertThat(ids(lines(file))).as("nothing was stored that the journal did not hold").containsAll(stored);
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(event -> event.path("id").asText()).toList();
    }

    private long count() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM audit.events")) {
            result.next();
            return result.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                events.add(JsonRpc.MAPPER.readTree(line));
            }
        }
        return events;
    }
}
