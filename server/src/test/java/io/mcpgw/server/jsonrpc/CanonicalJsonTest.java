package io.mcpgw.server.jsonrpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static String hash(String json) throws Exception {
        return CanonicalJson.sha256(JsonRpc.MAPPER.readTree(json));
    }

    @Test
    void keyOrderAndWhitespaceAtAnyDepthDoNotChangeTheHash() throws Exception {
        assertThat(hash("{\"b\":1,\"a\":{\"y\":[1,{\"q\":2,\"p\":3}],\"x\":null}}"))
                .isEqualTo(hash(" { \"a\" : { \"x\" : null , \"y\" : [ 1 , { \"p\" : 3 , \"q\" : 2 } ] } , \"b\" : 1 } "))
                .startsWith("sha256:").hasSize("sha256:".length() + 64);
    }

    @Test
    void anyChangeOfValueOrOfArrayOrderChangesIt() throws Exception {
        String base = hash("{\"a\":[1,2],\"b\":\"x\"}");
        assertThat(hash("{\"a\":[2,1],\"b\":\"x\"}")).isNotEqualTo(base);
        assertThat(hash("{\"a\":[1,2],\"b\":\"y\"}")).isNotEqualTo(base);
        assertThat(hash("{\"a\":[1,2],\"b\":\"x\",\"c\":null}")).isNotEqualTo(base);
        assertThat(hash("{\"a\":[1,2],\"b\":\"x\"}")).isEqualTo(base);
    }
}
