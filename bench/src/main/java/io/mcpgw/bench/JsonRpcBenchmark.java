package io.mcpgw.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.jsonrpc.StrictJson;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-call JSON work of the hot path: parse the client's request, re-address the backend's answer. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonRpcBenchmark {

    private static final byte[] REQUEST = """
            {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"bench__echo","arguments":{"text":"hello",
             "options":{"depth":3,"tags":["a","b","c"]}},"_meta":{"progressToken":"p-7"}}}""".getBytes();
    private static final String ANSWER = """
            {"jsonrpc":"2.0","id":1041,"result":{"content":[{"type":"text","text":"hello"}],"structuredContent":
             {"answer":42,"items":[1,2,3]},"isError":false}}""";

    @Benchmark
    public JsonNode parseRequest() throws IOException {
        return JsonRpc.MAPPER.readTree(REQUEST);
    }

    /** The same request read as the gateway reads a client's: its UTF-8 checked, a duplicate key refused. */
    @Benchmark
    public JsonNode parseClientRequest() {
        return StrictJson.parse(REQUEST);
    }

    @Benchmark
    public String readdressAnswer() throws IOException {
        ObjectNode answer = (ObjectNode) JsonRpc.MAPPER.readTree(ANSWER);
        answer.set("id", IntNode.valueOf(7));
        return JsonRpc.write(answer);
    }

    @Benchmark
    public String forwardRequest() throws IOException {
        ObjectNode request = (ObjectNode) JsonRpc.MAPPER.readTree(REQUEST);
        ObjectNode params = ((ObjectNode) request.get("params")).deepCopy().put("name", "echo");
        return JsonRpc.write(JsonRpc.request(IntNode.valueOf(1041), "tools/call", params));
    }
}
