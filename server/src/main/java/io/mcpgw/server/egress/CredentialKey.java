package io.mcpgw.server.egress;

import io.mcpgw.server.catalog.DescriptorHash;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.credentials.Credentials;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which credentials a connection was opened with, as a fingerprint that reveals none of them: connections serve
 * only callers whose credentials are the same (a stdio child per distinct set, e.g. per tenant).
 */
final class CredentialKey {

    static final String NONE = "";

    private CredentialKey() {}

    static String of(Optional<Credentials> credentials) {
        return credentials.map(found -> {
            var sealed = JsonRpc.MAPPER.createObjectNode();
            sealed.set("environment", JsonRpc.MAPPER.valueToTree(new TreeMap<>(found.environment())));
            sealed.set("headers", JsonRpc.MAPPER.valueToTree(new TreeMap<>(found.headers())));
            return DescriptorHash.of(sealed);
        }).orElse(NONE);
    }
}
