package io.mcpgw.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.testkit.TestingDnsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;

/**
 * Gateways started by the launcher, each from its own install directory, form a cluster through {@code static}
 * discovery or the {@code discovery-dns} plugin's SRV records: each lists the same members with where they serve MCP, sees one that stops or is killed leave, and
 * names a member with another cluster key as unverified.
 */
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "cluster-key-0123456789abcdef-0123456789";
    private static final String TOKEN = "admin-token-0123456789abcdef";
    private static final Duration UP = Duration.ofSeconds(90);

    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> started = new ArrayList<>();

    private record Node(Path home, Process process, URI mcp, URI admin) {}

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly();
        }
        for (Process process : started) {
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** {@link #start(String, String, String)} with {@code static} discovery of these members. */
    private Node start(String name, String key, List<String> members) throws Exception {
        return start(name, key, "{ type: static, members: [%s] }".formatted(
                String.join(", ", members.stream().map(member -> "\"" + member + "\"").toList())));
    }

    /**
     * Starts {@code bin/mcpgw run} in a fresh install directory of its own, on free ports, with this {@code discovery}
     * section, and waits until it serves. A discovery of type {@code dns} gets the shipped plugin in {@code plugins/}.
     */
    private Node start(String name, String key, String discovery) throws Exception {
        Path home = root.resolve(name);
        InstallTree.copyTo(home);
        if (discovery.contains("type: dns")) {
            try (Stream<Path> available = Files.list(home.resolve("plugins-available"))) {
                Path zip = available.filter(file -> file.getFileName().toString().startsWith("mcpgw-discovery-dns-")).findFirst().orElseThrow();
                Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
            }
        }
        Path config = home.resolve("conf/cluster.yaml");
        Files.writeString(config, """
                server: { port: 0 }
                admin: { port: 0, tokens: ["%s"] }
                cluster:
                  name: it
                  port: 0
                  key: %s
                  discovery: %s
                """.formatted(TOKEN, key, discovery));
        Process process = new ProcessBuilder(home.resolve("bin/mcpgw").toString(), "run", "--config", config.toString())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("run.out").toFile()).start();
        started.add(process);
        Path state = home.resolve("var/run/mcpgw.json");
        await().atMost(UP).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive()).as(() -> output(home)).isTrue();
            return Files.exists(state) && Files.size(state) > 0 && JSON.readTree(state.toFile()).has("cluster");
        });
        JsonNode written = JSON.readTree(state.toFile());
        return new Node(home, process, URI.create(written.path("http").asText()), URI.create(written.path("admin").asText()));
    }

    private static String output(Path home) {
        try {
            return Files.readString(home.resolve("run.out"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private JsonNode cluster(Node node) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(node.admin().resolve("/admin/cluster"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private List<JsonNode> members(Node node) throws Exception {
        return StreamSupport.stream(cluster(node).path("members").spliterator(), false).toList();
    }

    /** The member address this node listens on for the others, from its own listing. */
    private String memberAddress(Node node) throws Exception {
        return members(node).stream().filter(member -> member.path("self").asBoolean()).findFirst().orElseThrow()
                .path("memberAddress").asText();
    }

    private List<String> serving(Node node) throws Exception {
        return members(node).stream().filter(member -> member.path("state").asText().equals("serving"))
                .map(member -> member.path("mcpAddress").asText()).sorted().toList();
    }

    private String status(Node node) throws Exception {
        Path out = node.home().resolve("status.out");
        Process status = new ProcessBuilder(node.home().resolve("bin/mcpgw").toString(), "status", "--config",
                node.home().resolve("conf/cluster.yaml").toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(status.exitValue()).isZero();
        return Files.readString(out);
    }

    @Test
    void threeMembersListEachOtherWhereTheyServeAndSeeOneLeave() throws Exception {
        Node first = start("one", KEY, List.of());
        String seed = memberAddress(first);
        Node second = start("two", KEY, List.of(seed));
        Node third = start("three", KEY, List.of(seed));
        List<String> all = List.of(first.mcp().toString(), second.mcp().toString(), third.mcp().toString()).stream().sorted().toList();
        for (Node node : List.of(first, second, third)) {
            await().atMost(UP).until(() -> serving(node).equals(all));
            List<JsonNode> members = members(node);
            assertThat(members.getFirst().path("self").asBoolean()).as("this one first").isTrue();
            assertThat(members.getFirst().path("mcpAddress").asText()).isEqualTo(node.mcp().toString());
            assertThat(members.stream().filter(member -> member.path("self").asBoolean())).hasSize(1);
            assertThat(members).allSatisfy(member -> assertThat(member.path("id").asText()).hasSize(36));
        }
        assertThat(status(second)).contains("cluster 'it': 3 members: " + memberAddress(second) + " (this one, serving at " + second.mcp() + ")")
                .contains(seed + " (serving at " + first.mcp() + ")");

        third.process().destroy();
        assertThat(third.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(third.process().exitValue()).as("a graceful stop").isZero();
        await().atMost(UP).until(() -> members(first).size() == 2 && members(second).size() == 2);
        assertThat(serving(second)).containsExactlyInAnyOrder(first.mcp().toString(), second.mcp().toString());

        first.process().destroyForcibly();
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(UP).until(() -> members(second).size() == 1);
        assertThat(serving(second)).containsExactly(second.mcp().toString());
        assertThat(status(second)).contains("cluster 'it': 1 member: ");
    }

    @Test
    void threeMembersFindEachOtherThroughTheSrvRecordsOfTheDnsPlugin() throws Exception {
        try (TestingDnsServer dns = new TestingDnsServer()) {
            Name service = Name.fromString("_mcpgw._tcp.cluster.test.");
            String discovery = "{ type: dns, srv: cluster.test, resolver: \"%s\", refresh: 1s }".formatted(dns.address());
            List<Record> records = new ArrayList<>();
            List<Node> nodes = new ArrayList<>();
            for (String name : List.of("one", "two", "three")) {
                Node node = start(name, KEY, discovery);
                nodes.add(node);
                String member = memberAddress(node);
                int port = Integer.parseInt(member.substring(member.lastIndexOf(':') + 1));
                records.add(new SRVRecord(service, DClass.IN, 1, 10, 5, port, Name.fromString("127.0.0.1.")));
                dns.set(service, records);
            }
            List<String> all = nodes.stream().map(node -> node.mcp().toString()).sorted().toList();
            for (Node node : nodes) {
                await().atMost(UP).until(() -> serving(node).equals(all));
            }
            assertThat(dns.questions()).as("the members asked DNS for their peers").isPositive();
            assertThat(status(nodes.get(2))).contains("cluster 'it': 3 members: ");
        }
    }

    @Test
    void aMemberWithAnotherKeyIsNamedUnverifiedAndSeesNothing() throws Exception {
        Node keyed = start("keyed", KEY, List.of());
        Node rogue = start("rogue", "another-key-of-32-bytes-or-more-abcdef", List.of(memberAddress(keyed)));
        await().atMost(UP).until(() -> members(keyed).size() == 2 && members(rogue).size() == 2);
        await().atMost(UP).until(() -> members(keyed).stream().anyMatch(member -> member.path("state").asText().equals("unverified")));
        JsonNode stranger = members(keyed).get(1);
        assertThat(stranger.path("state").asText()).isEqualTo("unverified");
        assertThat(stranger.has("mcpAddress")).as("what it published does not open here").isFalse();
        assertThat(serving(keyed)).containsExactly(keyed.mcp().toString());
        assertThat(serving(rogue)).as("the rogue reads no other member's address").containsExactly(rogue.mcp().toString());
        await().atMost(UP).until(() -> Files.readString(keyed.home().resolve("logs/mcpgw.log"))
                .contains("is not sealed with this cluster's key (cluster.key differs)"));
    }
}
