package io.mcpgw.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClusterSealTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private final ClusterSeal seal = new ClusterSeal(KEY);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatIsSealedOpensWithTheSameKeyForTheSamePurposeOnly() {
        byte[] sealed = seal.seal("node-address", bytes("http://127.0.0.1:8080"));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("127.0.0.1");
        assertThat(new ClusterSeal(KEY).open("node-address", sealed)).hasValueSatisfying(
                plain -> assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("http://127.0.0.1:8080"));
        assertThat(seal.open("session", sealed)).as("sealed for another purpose").isEmpty();
        assertThat(new ClusterSeal("another key, also of 32 bytes or more").open("node-address", sealed)).isEmpty();
    }

    @Test
    void aChangedByteOrAForgedValueDoesNotOpen() {
        byte[] sealed = seal.seal("node-address", bytes("http://127.0.0.1:8080"));
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assertThat(seal.open("node-address", tampered)).as("byte %d changed", i).isEmpty();
        }
        assertThat(seal.open("node-address", bytes("http://evil.example"))).isEmpty();
        assertThat(seal.open("node-address", new byte[0])).isEmpty();
        assertThat(seal.open("node-address", null)).isEmpty();
    }

    @Test
    void theSameValueSealsDifferentlyEachTime() {
        assertThat(seal.seal("p", bytes("same"))).isNotEqualTo(seal.seal("p", bytes("same")));
    }
}
