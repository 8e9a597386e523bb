package io.mcpgw.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dist/kubernetes/}: the manifests agree with each other and with the configuration they mount, and that
 * configuration passes {@code mcpgw validate} in an install with the image's plugin, under the environment the
 * Deployment gives it.
 */
class KubernetesManifestsIT {

    private static final Path MANIFESTS = Path.of(System.getProperty("mcpgw.kubernetes"));
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(:-[^}]*)?}");

    @TempDir
    Path home;

    private static List<JsonNode> documents(String file) throws Exception {
        try (MappingIterator<JsonNode> read = YAML.readerFor(JsonNode.class).readValues(MANIFESTS.resolve(file).toFile())) {
            return read.readAll();
        }
    }

    private static JsonNode one(String file, String kind, String name) throws Exception {
        return documents(file).stream().filter(document -> document.path("kind").asText().equals(kind)
                && document.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                        file + " has no " + kind + " named " + name));
    }

    private static Stream<JsonNode> each(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static JsonNode container() throws Exception {
        return one("deployment.yaml", "Deployment", "mcpgw").path("spec").path("template").path("spec").path("containers").get(0);
    }

    /** The container port of that name. */
    private static int containerPort(String name) throws Exception {
        return each(container().path("ports")).filter(port -> port.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("the container has no port named " + name)).path("containerPort").asInt();
    }

    private static String configText() throws Exception {
        return one("configmap.yaml", "ConfigMap", "mcpgw").path("data").path("mcpgw.yaml").asText();
    }

    @Test
    void theDeploymentRunsThreeMembersWithProbesOnTheConfiguredPortAndTheConfigMapMounted() throws Exception {
        JsonNode deployment = one("deployment.yaml", "Deployment", "mcpgw");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode config = YAML.readTree(configText());
        JsonNode container = container();
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/readyz");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/healthz");
        assertThat(containerPort(container.path("readinessProbe").path("httpGet").path("port").asText()))
                .as("the probes ask the MCP listener").isEqualTo(config.path("server").path("port").asInt());
        assertThat(containerPort("member")).isEqualTo(config.path("cluster").path("port").asInt());
        assertThat(containerPort("admin")).isEqualTo(config.path("admin").path("port").asInt());

        List<String> arguments = each(container.path("args")).map(JsonNode::asText).toList();
        Path configFile = Path.of(arguments.get(arguments.indexOf("--config") + 1));
        JsonNode mount = each(container.path("volumeMounts")).filter(each -> each.path("mountPath").asText().equals(configFile.getParent().toString()))
                .findFirst().orElseThrow(() -> new AssertionError("nothing is mounted where --config points: " + configFile));
        JsonNode volume = each(deployment.path("spec").path("template").path("spec").path("volumes"))
                .filter(each -> each.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
        assertThat(volume.path("configMap").path("name").asText()).isEqualTo("mcpgw");
        assertThat(configFile.getFileName().toString()).as("the ConfigMap's key is the file's name").isEqualTo("mcpgw.yaml");

        Set<String> given = new TreeSet<>();
        each(container.path("env")).forEach(variable -> given.add(variable.path("name").asText()));
        Set<String> used = new TreeSet<>();
        Matcher variables = VARIABLE.matcher(configText());
        while (variables.find()) {
            if (variables.group(2) == null) {
                used.add(variables.group(1));
            }
        }
        assertThat(given).as("every variable the configuration needs is in the pod's environment").containsAll(used);
    }

    @Test
    void theHeadlessServicePublishesTheSrvRecordsTheDiscoveryAsksFor() throws Exception {
        JsonNode members = one("service.yaml", "Service", "mcpgw-members");
        assertThat(members.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(members.path("spec").path("publishNotReadyAddresses").asBoolean()).as("members join before they are ready").isTrue();
        JsonNode config = YAML.readTree(configText());
        JsonNode discovery = config.path("cluster").path("discovery");
        assertThat(discovery.path("type").asText()).isEqualTo("dns");
        assertThat(discovery.path("srv").asText()).as("the SRV domain is the headless Service's")
                .startsWith("mcpgw-members.${POD_NAMESPACE}.svc.");
        JsonNode port = members.path("spec").path("ports").get(0);
        assertThat(port.path("name").asText()).as("a port named mcpgw publishes _mcpgw._tcp records").isEqualTo("mcpgw");
        assertThat(port.path("port").asInt()).isEqualTo(config.path("cluster").path("port").asInt());
        assertThat(port.path("targetPort").asText()).isEqualTo("member");

        JsonNode clients = one("service.yaml", "Service", "mcpgw");
        assertThat(containerPort(clients.path("spec").path("ports").get(0).path("targetPort").asText()))
                .isEqualTo(config.path("server").path("port").asInt());
        Map<String, String> selector = YAML.convertValue(clients.path("spec").path("selector"), YAML.getTypeFactory()
                .constructMapType(Map.class, String.class, String.class));
        JsonNode labels = one("deployment.yaml", "Deployment", "mcpgw").path("spec").path("template").path("metadata").path("labels");
        selector.forEach((key, value) -> assertThat(labels.path(key).asText()).as("the pods carry the selector's " + key).isEqualTo(value));
    }

    @Test
    void theConfigMapsConfigurationIsValidInAnInstallWithTheImagesPlugin() throws Exception {
        InstallTree.copyTo(home);
        try (Stream<Path> available = Files.list(home.resolve("plugins-available"))) {
            Path zip = available.filter(file -> file.getFileName().toString().startsWith("mcpgw-discovery-dns-")).findFirst().orElseThrow();
            Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
        }
        Path config = home.resolve("conf/kubernetes.yaml");
        Files.writeString(config, configText());
        Path out = home.resolve("validate.out");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/mcpgw").toString(), "validate", "--config", config.toString()).directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().putAll(Map.of("POD_IP", "10.1.2.3", "POD_NAMESPACE", "default",
                "MCPGW_CLUSTER_KEY", "0123456789abcdef0123456789abcdef0123456789abcdef",
                "MCPGW_ADMIN_TOKEN", "fedcba9876543210fedcba9876543210"));
        Process validate = builder.start();
        assertThat(validate.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(out);
        assertThat(validate.exitValue()).as(said).isZero();
        assertThat(said.lines().toList()).containsExactly(config + " is valid: 1 backend(s), 1 plugin(s)");
    }
}
