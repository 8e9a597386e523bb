package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedFramingTest {

    private static final String BODY = "5;a=b;q=\"x \\\" y\"\r\nhello\r\n"
            + "07 ; c = d\t;e\r\n, world\r\n"
            + "0;last\r\nX-Sum: 1 2\r\nX-Empty:\r\n\r\n";

    /** Decodes {@code body} fed {@code rawSize} bytes at a time into buffers of {@code dataSize}; what follows the body is left. */
    private static String decode(String body, int rawSize, int dataSize, StringBuilder rest) throws MalformedChunkedBody {
        ChunkedFraming framing = new ChunkedFraming();
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int offset = 0;
        while (offset < bytes.length && !framing.ended()) {
            ByteBuffer raw = ByteBuffer.wrap(bytes, offset, Math.min(rawSize, bytes.length - offset));
            while (raw.hasRemaining() && !framing.ended()) {
                ByteBuffer out = ByteBuffer.allocate(dataSize);
                framing.decode(raw, out);
                data.write(out.array(), 0, out.position());
            }
            offset = raw.position();
        }
        assertThat(framing.ended()).as("the body ended").isTrue();
        rest.append(new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1));
        return data.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aWellFormedBodyDecodesTheSameHoweverItsBytesArrive() throws Exception {
        for (int rawSize : new int[] {1, 2, 3, 7, 64, 4096}) {
            for (int dataSize : new int[] {1, 4, 100}) {
                StringBuilder rest = new StringBuilder();
                assertThat(decode(BODY + "GET / HTTP/1.1\r\n", rawSize, dataSize, rest)).as(rawSize + "/" + dataSize).isEqualTo("hello, world");
                assertThat(rest.toString()).as("what follows the body stays unread").isEqualTo("GET / HTTP/1.1\r\n");
            }
        }
    }

    @Test
    void aSizeIsHexOfAnyCaseWithLeadingZeros() throws Exception {
        String sixteen = "x".repeat(16);
        assertThat(decode("0010\r\n" + sixteen + "\r\n00\r\n\r\n", 5, 8, new StringBuilder())).isEqualTo(sixteen);
        assertThat(decode("A\r\n0123456789\r\nb\r\n0123456789a\r\n0\r\n\r\n", 3, 8, new StringBuilder())).isEqualTo("01234567890123456789a");
    }

    @Test
    void everyBreakOfTheGrammarIsRefusedWithItsReason() {
        String[][] cases = {
                {"zz\r\n", "not hexadecimal"}, {"\r\n", "not hexadecimal"}, {";a\r\n", "not hexadecimal"},
                {"1g\r\n", "extension"}, {"1 2\r\n", "extension"}, {"1 \r\n", "extension"}, {"1;\r\n", "extension"},
                {"1;a=\r\n", "extension"}, {"1;a=\"b\r\n", "extension"}, {"1;a=\"\\\u0001\"\r\n", "extension"},
                {"1;a=b c\r\n", "extension"}, {"1;a@b\r\n", "extension"},
                {"10000000000000000\r\n", "too large"}, {"0".repeat(5000), "longer than"},
                {"1\n", "CRLF"}, {"1\rx", "CRLF"}, {"1\r\nab\r\n", "longer than its size"}, {"1\r\na\n", "CRLF"},
                {"0\r\nX\r\n\r\n", "trailer"}, {"0\r\n X: a\r\n\r\n", "trailer"}, {"0\r\nX: a\u0000\r\n\r\n", "trailer"},
                {"0\r\n" + "X: y\r\n".repeat(2000), "trailer fields longer"}, {"0\r\n\rx", "CRLF"}, {"0\r\n\n", "CRLF"},
        };
        for (String[] broken : cases) {
            ChunkedFraming framing = new ChunkedFraming();
            assertThatThrownBy(() -> framing.decode(ByteBuffer.wrap(broken[0].getBytes(StandardCharsets.ISO_8859_1)), ByteBuffer.allocate(64)))
                    .as(broken[0]).isInstanceOf(MalformedChunkedBody.class).hasMessageContaining(broken[1]);
        }
    }
}
