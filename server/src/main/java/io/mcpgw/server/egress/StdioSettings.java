package io.mcpgw.server.egress;

import java.util.List;
import java.util.Map;

/**
 * A stdio backend's keys.
 *
 * @param command the program and its arguments; a relative program path resolves against the install directory
 * @param env variables added to the child's scrubbed environment
 * @param workingDirectory the child's working directory, relative to the install directory (default: it)
 */
record StdioSettings(List<String> command, Map<String, String> env, String workingDirectory) {

    StdioSettings {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command: required value is missing (the program to run, as a list)");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDirectory = workingDirectory == null ? "." : workingDirectory;
    }
}
