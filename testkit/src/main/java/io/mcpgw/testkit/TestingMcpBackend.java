package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A real MCP server on stdio whose misbehaviour tests ask for with tool calls: {@code slow} answers late (and,
 * given a {@code mark}, first appends it to the file {@code TESTING_RECORD_FILE} names), {@code crash} exits, {@code garbage} writes a line that is not JSON, {@code add_tool} changes the tool list and
 * says so, {@code mute} leaves pings unanswered (or answers them late) for a while, {@code calls} tells how many tool calls reached it, {@code redefine} changes a tool's description (a "rug pull") and says so, {@code content} returns every
 * content type, {@code pid} tells which process answered, and, listed when started with {@code --sizes},
 * {@code large} answers a text of {@code chars} characters and {@code flood} writes {@code bytes} bytes of a line
 * it never ends. It also uses the
 * rest of the protocol: {@code ask} sends the client a request (sampling, elicitation, roots; with {@code asks} several,
 * with {@code withdrawAfterMillis} withdrawn unanswered, with {@code exitAfterMillis} the process ends meanwhile) and returns its
 * answer, {@code progress} reports progress, {@code wait_for_cancel} runs until cancelled and {@code cancelled} lists
 * what was, {@code log} logs at a level, {@code touch} updates a subscribed resource. A tools/call with a
 * {@code task} runs as a task (tasks/get, tasks/result, tasks/list, tasks/cancel, status notifications). Requests are
 * served concurrently. Run it with {@link JavaCommand#of(Class, String...)}.
 */
public final class TestingMcpBackend {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
    private static final List<String> LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");
    /** A 1x1 PNG. */
    private static final String PIXEL =
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final List<String> extraTools = new CopyOnWriteArrayList<>();
    private final List<String> sizeTools;
    /** With {@code --headers}: the tool {@code headed}, whose parameters MCP 2026-07-28 clients mirror into Mcp-Param-* headers. */
    private final boolean headerTool;
    private final Map<String, String> descriptions = new ConcurrentHashMap<>();
    private final AtomicInteger toolCalls = new AtomicInteger();
    private volatile long mutedUntil = System.nanoTime();
    private volatile long pingDelayMillis;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> asked = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<String>> running = new ConcurrentHashMap<>();
    private final List<String> cancelledIds = new CopyOnWriteArrayList<>();
    private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
    private volatile int logLevel = LEVELS.indexOf("debug");
    private final Map<String, RunningTask> tasks = new ConcurrentHashMap<>();
    private final AtomicLong taskIds = new AtomicLong();
    private final ThreadLocal<RunningTask> currentTask = new ThreadLocal<>();

    public static void main(String[] args) throws IOException {
        new TestingMcpBackend(List.of(args).contains("--sizes") ? List.of("large", "flood") : List.of(), List.of(args).contains("--headers"))
                .serve();
    }

    private TestingMcpBackend(List<String> sizeTools, boolean headerTool) {
        this.sizeTools = sizeTools;
        this.headerTool = headerTool;
    }

    private void serve() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            JsonNode message = JSON.readTree(line);
            if (message.has("method") && message.has("id")) {
                Thread.ofVirtual().start(() -> send(answer(message)));
            } else if (message.has("id")) {
                CompletableFuture<JsonNode> waiting = asked.remove(message.get("id").asText());
                if (waiting != null) {
                    waiting.complete(message);
                }
            } else if ("notifications/cancelled".equals(message.path("method").asText())) {
                String requestId = message.path("params").path("requestId").asText();
                cancelledIds.add(requestId);
                CompletableFuture<String> call = running.get(requestId);
                if (call != null) {
                    call.complete(requestId);
                }
            }
        }
    }

    private synchronized void send(JsonNode message) {
        if (message != null) {
            out.println(message);
        }
    }

    private ObjectNode answer(JsonNode request) {
        JsonNode id = request.get("id");
        JsonNode params = request.path("params");
        return switch (request.path("method").asText()) {
            case "initialize" -> JsonRpc.result(id, initialize(params));
            case "ping" -> {
                if (System.nanoTime() - mutedUntil < 0) {
                    if (pingDelayMillis == 0) {
                        yield null;
                    }
                    sleep(pingDelayMillis);
                }
                yield JsonRpc.result(id, JSON.createObjectNode());
            }
            case "tools/list" -> JsonRpc.result(id, tools());
            case "tools/call" -> toolCalls.incrementAndGet() > 0 && params.has("task") ? startTask(id, params)
                    : call(id, params, params.path("name").asText(), params.path("arguments"));
            case "tasks/get" -> task(id, params, task -> JsonRpc.result(id, task.snapshot()));
            case "tasks/result" -> task(id, params, task -> task.resultFor(id));
            case "tasks/cancel" -> task(id, params, task -> {
                task.finish("cancelled", JsonRpc.error(id, -32800, "task cancelled"));
                return JsonRpc.result(id, task.snapshot());
            });
            case "tasks/list" -> {
                ArrayNode all = JSON.createArrayNode();
                tasks.values().forEach(task -> all.add(task.snapshot()));
                yield JsonRpc.result(id, JSON.createObjectNode().set("tasks", all));
            }
            case "resources/list" -> JsonRpc.result(id, resources());
            case "resources/templates/list" -> JsonRpc.result(id, templates());
            case "resources/read" -> read(id, params.path("uri").asText());
            case "prompts/list" -> JsonRpc.result(id, JSON.createObjectNode().set("prompts", JSON.createArrayNode()
                    .add(JSON.createObjectNode().put("name", "review").put("description", "Reviews code"))));
            case "prompts/get" -> JsonRpc.result(id, prompt(params));
            case "completion/complete" -> JsonRpc.result(id, completion(params));
            case "logging/setLevel" -> {
                logLevel = LEVELS.indexOf(params.path("level").asText());
                yield JsonRpc.result(id, JSON.createObjectNode());
            }
            case "resources/subscribe" -> {
                subscribed.add(params.path("uri").asText());
                yield JsonRpc.result(id, JSON.createObjectNode());
            }
            case "resources/unsubscribe" -> {
                subscribed.remove(params.path("uri").asText());
                yield JsonRpc.result(id, JSON.createObjectNode());
            }
            default -> JsonRpc.error(id, -32601, "Method not found");
        };
    }

    private static ObjectNode initialize(JsonNode params) {
        ObjectNode result = JSON.createObjectNode().put("protocolVersion", params.path("protocolVersion").asText("2025-11-25"));
        ObjectNode capabilities = result.putObject("capabilities");
        capabilities.putObject("tools").put("listChanged", true);
        capabilities.putObject("resources").put("subscribe", true);
        capabilities.putObject("prompts");
        capabilities.putObject("logging");
        capabilities.putObject("completions");
        ObjectNode tasks = capabilities.putObject("tasks");
        tasks.putObject("list");
        tasks.putObject("cancel");
        tasks.putObject("requests").putObject("tools").putObject("call");
        result.putObject("serverInfo").put("name", "testing-backend").put("version", "1.0");
        result.put("instructions", "A backend for tests.");
        return result;
    }

    private ObjectNode tools() {
        ArrayNode tools = JSON.createArrayNode();
        for (String name : List.of("echo", "slow", "crash", "garbage", "add_tool", "content", "pid", "env", "ask",
                "progress", "wait_for_cancel", "cancelled", "log", "touch", "redefine", "calls", "mute")) {
            tools.add(JSON.createObjectNode().put("name", name).put("description", descriptions.getOrDefault(name, "testing " + name))
                    .set("inputSchema", JSON.createObjectNode().put("type", "object")));
        }
        sizeTools.forEach(name -> tools.add(JSON.createObjectNode().put("name", name).put("description", "testing " + name)
                .set("inputSchema", JSON.createObjectNode().put("type", "object"))));
        if (headerTool) {
            tools.add(headedTool());
        }
        extraTools.forEach(name -> tools.add(JSON.createObjectNode().put("name", name)
                .set("inputSchema", JSON.createObjectNode().put("type", "object"))));
        return JSON.createObjectNode().set("tools", tools);
    }

    /** {@code headed}: a string, an integer and a nested boolean marked {@code x-mcp-header}, and a string that is not. */
    private static ObjectNode headedTool() {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("region").put("type", "string").put("x-mcp-header", "Region");
        properties.putObject("priority").put("type", "integer").put("x-mcp-header", "Priority");
        properties.putObject("options").put("type", "object").putObject("properties").putObject("dryRun").put("type", "boolean")
                .put("x-mcp-header", "Dry-Run");
        properties.putObject("query").put("type", "string");
        return JSON.createObjectNode().put("name", "headed").put("description", "testing headed").set("inputSchema", schema);
    }

    private ObjectNode call(JsonNode id, JsonNode params, String name, JsonNode arguments) {
        switch (name) {
            case "headed":
                return headerTool ? JsonRpc.result(id, text(arguments.toString())) : JsonRpc.error(id, -32602, "Unknown tool: headed");
            case "ask":
                if (arguments.has("asks")) {
                    return JsonRpc.result(id, text(askAll(arguments.path("asks"), arguments.path("together").asBoolean()).toString()));
                }
                if (arguments.has("exitAfterMillis")) {
                    askAs("backend-" + requestIds.incrementAndGet(), arguments.path("method").asText(), arguments.path("params"));
                    sleep(arguments.path("exitAfterMillis").asLong());
                    Runtime.getRuntime().halt(3);
                }
                if (arguments.has("withdrawAfterMillis")) {
                    return JsonRpc.result(id, text(askAndWithdraw(arguments.path("method").asText(), arguments.path("params"),
                            arguments.path("withdrawAfterMillis").asLong())));
                }
                return JsonRpc.result(id, text(ask(arguments.path("method").asText(), arguments.path("params")).toString()));
            case "progress":
                int steps = arguments.path("steps").asInt(3);
                for (int step = 1; step <= steps; step++) {
                    ObjectNode progress = JSON.createObjectNode().put("progress", step).put("total", steps);
                    progress.set("progressToken", params.path("_meta").path("progressToken"));
                    send(JsonRpc.notification("notifications/progress", progress));
                }
                return JsonRpc.result(id, text("done " + steps));
            case "wait_for_cancel":
                CompletableFuture<String> cancel = new CompletableFuture<>();
                running.put(id.asText(), cancel);
                try {
                    cancel.get(30, TimeUnit.SECONDS);
                    return null;
                } catch (InterruptedException | ExecutionException | TimeoutException e) {
                    return JsonRpc.result(id, text("not cancelled"));
                } finally {
                    running.remove(id.asText());
                }
            case "cancelled":
                return JsonRpc.result(id, text(String.join(",", cancelledIds)));
            case "log":
                String level = arguments.path("level").asText("info");
                if (LEVELS.indexOf(level) >= logLevel) {
                    send(JsonRpc.notification("notifications/message", JSON.createObjectNode().put("level", level)
                            .put("logger", "testing").put("data", arguments.path("text").asText())));
                }
                return JsonRpc.result(id, text("logged"));
            case "touch":
                String uri = arguments.path("uri").asText();
                if (!subscribed.contains(uri)) {
                    return JsonRpc.result(id, text("not subscribed"));
                }
                send(JsonRpc.notification("notifications/resources/updated", JSON.createObjectNode().put("uri", uri)));
                return JsonRpc.result(id, text("updated"));
            case "echo":
                return JsonRpc.result(id, text(arguments.path("text").asText()));
            case "slow":
                record(arguments.path("mark").asText(null));
                sleep(arguments.path("millis").asLong(1000));
                return JsonRpc.result(id, text("slept " + arguments.path("millis").asLong(1000)));
            case "crash":
                Runtime.getRuntime().halt(3);
                return null;
            case "garbage":
                send(null);
                synchronized (this) {
                    out.println("this line is not JSON");
                }
                return JsonRpc.result(id, text("after garbage"));
            case "mute":
                pingDelayMillis = arguments.path("delayMillis").asLong(0);
                mutedUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(arguments.path("millis").asLong(1000));
                return JsonRpc.result(id, text("muted"));
            case "calls":
                return JsonRpc.result(id, text(Integer.toString(toolCalls.get())));
            case "large":
                large(id, arguments.path("chars").asLong());
                return null;
            case "flood":
                flood(arguments.path("bytes").asLong());
                return null;
            case "redefine":
                descriptions.put(arguments.path("tool").asText(), arguments.path("description").asText());
                send(JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed"));
                return JsonRpc.result(id, text("redefined"));
            case "add_tool":
                extraTools.add(arguments.path("name").asText("added"));
                send(JSON.createObjectNode().put("jsonrpc", "2.0").put("method", "notifications/tools/list_changed"));
                return JsonRpc.result(id, text("added"));
            case "content":
                return JsonRpc.result(id, everyContentType());
            case "pid":
                return JsonRpc.result(id, text(Long.toString(ProcessHandle.current().pid())));
            case "env":
                return JsonRpc.result(id, text(String.valueOf(System.getenv(arguments.path("name").asText()))));
            default:
                return extraTools.contains(name) ? JsonRpc.result(id, text("extra " + name)) : JsonRpc.error(id, -32602, "Unknown tool: " + name);
        }
    }

    /** Answers a text of {@code chars} x's, written as it goes: the child's small heap never holds it. */
    private synchronized void large(JsonNode id, long chars) {
        String whole = JsonRpc.result(id, text("")).toString();
        int hole = whole.indexOf("\"text\":\"\"") + "\"text\":\"".length();
        out.print(whole.substring(0, hole));
        writeX(chars);
        out.println(whole.substring(hole));
    }

    /** Writes {@code bytes} bytes of one line that never ends, then holds stdout so nothing else is written. */
    private synchronized void flood(long bytes) {
        writeX(bytes);
        out.flush();
        sleep(300_000);
    }

    private void writeX(long count) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        for (long left = count; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
    }

    /**
     * {@code ask} with {@code asks} (a list of {@code method} and {@code params}): each in turn, the next once the
     * last was answered, or with {@code together} all at once; what it heard, as a list.
     */
    private ArrayNode askAll(JsonNode asks, boolean together) {
        ArrayNode heard = JSON.createArrayNode();
        if (together) {
            List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
            asks.forEach(each -> answers.add(askAs("backend-" + requestIds.incrementAndGet(), each.path("method").asText(), each.path("params"))));
            answers.forEach(answer -> heard.add(awaited(answer)));
        } else {
            asks.forEach(each -> heard.add(ask(each.path("method").asText(), each.path("params"))));
        }
        return heard;
    }

    /** {@code ask} with {@code withdrawAfterMillis}: asks, and withdraws the request ({@code notifications/cancelled}) unanswered. */
    private String askAndWithdraw(String method, JsonNode params, long millis) {
        String id = "backend-" + requestIds.incrementAndGet();
        CompletableFuture<JsonNode> answer = askAs(id, method, params);
        try {
            return "answered " + answer.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            asked.remove(id);
            send(JsonRpc.notification("notifications/cancelled", JSON.createObjectNode().put("requestId", id).put("reason", "no longer needed")));
            return "withdrawn " + id;
        }
    }

    private CompletableFuture<JsonNode> askAs(String id, String method, JsonNode params) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        asked.put(id, answer);
        send(JsonRpc.request(JSON.getNodeFactory().textNode(id), method, params));
        return answer;
    }

    private static JsonNode awaited(CompletableFuture<JsonNode> answer) {
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            return JSON.createObjectNode().put("timeout", true);
        }
    }

    /**
     * Sends the client a request and waits for its answer (a result or an error), or says it timed out. Within a
     * task the request names the task, and the task waits in {@code input_required} meanwhile.
     */
    private JsonNode ask(String method, JsonNode params) {
        String id = "backend-" + requestIds.incrementAndGet();
        RunningTask task = currentTask.get();
        JsonNode sent = params;
        if (task != null && params instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.withObjectProperty("_meta").putObject(RELATED_TASK).put("taskId", task.id);
            sent = copy;
            task.update("input_required");
        }
        CompletableFuture<JsonNode> answer = askAs(id, method, sent);
        try {
            return answer.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            return JSON.createObjectNode().put("timeout", true);
        } finally {
            if (task != null) {
                task.update("working");
            }
        }
    }

    /**
     * Answers a task-augmented tools/call at once (itself: the caller sends nothing) and runs the tool on. Task ids count from 1 in every process, so
     * two connections' tasks share ids: keeping them apart is the gateway's job.
     */
    private ObjectNode startTask(JsonNode id, JsonNode params) {
        RunningTask task = new RunningTask("task-" + taskIds.incrementAndGet(), params.path("task").path("ttl").asLong(60_000));
        tasks.put(task.id, task);
        // The client learns the task id before anything is said about the task.
        send(JsonRpc.result(id, JSON.createObjectNode().set("task", task.snapshot())));
        Thread.ofVirtual().start(() -> {
            currentTask.set(task);
            ObjectNode response = call(id, params, params.path("name").asText(), params.path("arguments"));
            task.finish(response.has("error") ? "failed" : "completed", response);
        });
        return null;
    }

    private ObjectNode task(JsonNode id, JsonNode params, Function<RunningTask, ObjectNode> then) {
        RunningTask task = tasks.get(params.path("taskId").asText());
        return task == null ? JsonRpc.error(id, -32602, "Unknown task: " + params.path("taskId").asText()) : then.apply(task);
    }

    /** A task: its status as tasks/get tells it, and the tool's response once it is done. */
    private final class RunningTask {
        final String id;
        private final ObjectNode status = JSON.createObjectNode();
        final CompletableFuture<ObjectNode> result = new CompletableFuture<>();

        RunningTask(String id, long ttlMillis) {
            this.id = id;
            String now = Instant.now().toString();
            status.put("taskId", id).put("status", "working").put("createdAt", now).put("lastUpdatedAt", now)
                    .put("ttl", ttlMillis).put("pollInterval", 50);
        }

        synchronized ObjectNode snapshot() {
            return status.deepCopy();
        }

        /** Changes the status and tells the client, unless the task has already ended. */
        synchronized void update(String state) {
            if (!result.isDone()) {
                status.put("status", state).put("lastUpdatedAt", Instant.now().toString());
                send(JsonRpc.notification("notifications/tasks/status", status.deepCopy()));
            }
        }

        synchronized void finish(String state, ObjectNode response) {
            update(state);
            result.complete(response);
        }

        /** The tool's response to tasks/result, under that request's id and naming the task. */
        ObjectNode resultFor(JsonNode requestId) {
            ObjectNode response = result.join().deepCopy();
            response.set("id", requestId);
            if (response.get("result") instanceof ObjectNode answer) {
                answer.withObjectProperty("_meta").putObject(RELATED_TASK).put("taskId", id);
            }
            return response;
        }
    }

    private static ObjectNode everyContentType() {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode content = result.putArray("content");
        content.addObject().put("type", "text").put("text", "plain text")
                .set("annotations", JSON.createObjectNode().put("priority", 0.5).set("audience", JSON.createArrayNode().add("user")));
        content.addObject().put("type", "image").put("data", PIXEL).put("mimeType", "image/png");
        content.addObject().put("type", "audio").put("data", "UklGRiQAAABXQVZF").put("mimeType", "audio/wav");
        content.addObject().put("type", "resource_link").put("uri", "test://doc/1").put("name", "doc-1").put("mimeType", "text/plain");
        content.addObject().put("type", "resource").set("resource", JSON.createObjectNode()
                .put("uri", "test://doc/2").put("mimeType", "text/plain").put("text", "embedded"));
        result.putObject("structuredContent").put("answer", 42).putArray("items").add(1).add(2);
        result.putObject("_meta").put("test/trace", "abc");
        result.put("isError", false);
        return result;
    }

    private static ObjectNode resources() {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("resources").addObject().put("uri", "test://doc/1").put("name", "doc-1").put("mimeType", "text/plain");
        return result;
    }

    private static ObjectNode templates() {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("resourceTemplates").addObject().put("uriTemplate", "test://items/{id}").put("name", "item");
        return result;
    }

    private static ObjectNode read(JsonNode id, String uri) {
        if (!uri.startsWith("test://")) {
            return JsonRpc.error(id, -32002, "Resource not found: " + uri);
        }
        ObjectNode result = JSON.createObjectNode();
        result.putArray("contents").addObject().put("uri", uri).put("mimeType", "text/plain").put("text", "content of " + uri);
        return JsonRpc.result(id, result);
    }

    private static ObjectNode prompt(JsonNode params) {
        ObjectNode result = JSON.createObjectNode().put("description", "review");
        result.putArray("messages").addObject().put("role", "user").putObject("content").put("type", "text")
                .put("text", "Review " + params.path("arguments").path("file").asText("everything"));
        return result;
    }

    private static ObjectNode completion(JsonNode params) {
        String prefix = params.path("argument").path("value").asText("");
        ObjectNode result = JSON.createObjectNode();
        result.putObject("completion").put("total", 1).put("hasMore", false).putArray("values").add(prefix + "-completed");
        return result;
    }

    private static ObjectNode text(String text) {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result;
    }

    /**
     * Appends {@code mark} as a line to the file {@code TESTING_RECORD_FILE} names, when both are given: a record
     * of every call that ran, which outlives the process (so a test can tell whether a call ran twice).
     */
    private static void record(String mark) {
        String file = System.getenv("TESTING_RECORD_FILE");
        if (mark == null || file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), mark + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
