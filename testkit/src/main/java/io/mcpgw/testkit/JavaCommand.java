package io.mcpgw.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Commands that run a main class of the test class path in a child JVM, for {@code command:} in a config. */
public final class JavaCommand {

    private JavaCommand() {}

    public static List<String> of(Class<?> mainClass, String... arguments) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** {@link #of} as a JSON array, e.g. for a backend sent to the admin API. */
    public static String json(Class<?> mainClass, String... arguments) {
        return of(mainClass, arguments).stream().map(part -> "\"" + part.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** {@link #of} as a YAML flow list. */
    public static String yaml(Class<?> mainClass, String... arguments) {
        return yaml(of(mainClass, arguments));
    }

    /** Any command as a YAML flow list of single-quoted strings. */
    public static String yaml(List<String> command) {
        return command.stream().map(part -> "'" + part.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
