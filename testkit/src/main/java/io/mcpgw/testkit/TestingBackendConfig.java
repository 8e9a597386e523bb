package io.mcpgw.testkit;

import io.mcpgw.server.demo.DemoBackend;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a test configuration's {@code backends:}: its id, its transport and the keys a test adds, written as
 * the YAML a user writes. Immutable: each {@code with} gives a new entry.
 */
public final class TestingBackendConfig {

    private final String id;
    private final List<String> lines;

    private TestingBackendConfig(String id, List<String> lines) {
        this.id = id;
        this.lines = List.copyOf(lines);
    }

    /** A stdio backend running {@code mainClass} of the test class path in a child JVM. */
    public static TestingBackendConfig stdio(String id, Class<?> mainClass, String... arguments) {
        return new TestingBackendConfig(id, List.of("transport: stdio", "command: " + JavaCommand.yaml(mainClass, arguments)));
    }

    /** A stdio backend running {@code command} (e.g. a shell or an npm peer). */
    public static TestingBackendConfig command(String id, List<String> command) {
        return new TestingBackendConfig(id, List.of("transport: stdio", "command: " + JavaCommand.yaml(command)));
    }

    /** A Streamable HTTP backend at {@code url}. */
    public static TestingBackendConfig http(String id, URI url) {
        return new TestingBackendConfig(id, List.of("transport: http", "url: " + url));
    }

    /** The bundled demo backend as {@code demo}, greeting with {@code greeting}. */
    public static TestingBackendConfig demo(String greeting) {
        return stdio("demo", DemoBackend.class).with("env: { DEMO_GREETING: \"" + greeting + "\" }");
    }

    /** A {@link TestingMcpBackend} as {@code testing}. */
    public static TestingBackendConfig testing() {
        return stdio("testing", TestingMcpBackend.class);
    }

    /** The entry with more keys: one or more YAML lines as they read under the entry (a block keeps its own indent). */
    public TestingBackendConfig with(String yaml) {
        List<String> more = new ArrayList<>(lines);
        more.addAll(yaml.strip().lines().toList());
        return new TestingBackendConfig(id, more);
    }

    /** {@code isolation: shared}: one backend session that every client uses, as tests that time their calls want. */
    public TestingBackendConfig shared() {
        return with("isolation: shared");
    }

    /** The entry as an item of the {@code backends:} list. */
    String yaml() {
        StringBuilder yaml = new StringBuilder("  - id: ").append(id).append('\n');
        lines.forEach(line -> yaml.append("    ").append(line).append('\n'));
        return yaml.toString();
    }
}
