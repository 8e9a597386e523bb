package io.mcpgw.server.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@code cluster:} section: this gateway is a member of a cluster of gateways (embedded Hazelcast). Without the
 * section no member starts.
 *
 * @param name only members with this name join
 * @param host the address the member port binds to, and only that one; it must be on a private network, since the
 *     member protocol is neither authenticated nor encrypted (what the cluster keeps is sealed with {@code key})
 * @param port the member port; 0 picks a free one
 * @param key the shared secret (at least {@value #MIN_KEY_BYTES} bytes, e.g. {@code ${MCPGW_CLUSTER_KEY}}) that
 *     seals what the cluster keeps, so a member without it can neither read nor forge it
 * @param discovery how the other members are found ({@code type: static} with {@code members}, or a plugin's)
 */
public record ClusterConfig(String name, String host, Integer port, String key, ExtensionSection discovery) {

    public static final int MIN_KEY_BYTES = 32;

    public ClusterConfig {
        name = name == null ? "mcpgw" : name;
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: must not be blank");
        }
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 5701 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a port (0 to 65535; 0 picks a free one)");
        }
        if (key == null || key.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("key: the cluster key needs at least " + MIN_KEY_BYTES
                    + " bytes (e.g. key: ${MCPGW_CLUSTER_KEY} with openssl rand -hex 32)");
        }
        discovery = discovery == null
                ? new ExtensionSection("(default)", "cluster.discovery", "static", JsonNodeFactory.instance.objectNode())
                : discovery;
        Objects.requireNonNull(discovery.type(), "discovery.type");
    }

    /** Never the key itself, so the configuration can be shown. */
    @Override
    public String toString() {
        return "ClusterConfig[name=" + name + ", host=" + host + ", port=" + port + ", discovery=" + discovery.type() + "]";
    }
}
