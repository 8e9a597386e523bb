package io.mcpgw.server.egress;

import java.util.List;
import java.util.Map;

/**
 * A stdio backend's keys.
 *
 * @param command the program and its arguments; a relative program path resolves against the install directory
 * @param env variables added to the child's scrubbed environment
 * @param workingDirectory the child's working directory, relative to the install directory (default: it)
 * @param maxProcesses how many children serve this backend; each serves many calls at once (default 1)
 */
record StdioSettings(List<String> command, Map<String, String> env, String workingDirectory, Integer maxProcesses) {

    StdioSettings {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command: required value is missing (the program to run, as a list)");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workingDirectory = workingDirectory == null ? "." : workingDirectory;
        maxProcesses = maxProcesses == null ? 1 : maxProcesses;
        if (maxProcesses < 1) {
            throw new IllegalArgumentException("maxProcesses: must be at least 1");
        }
    }
}
