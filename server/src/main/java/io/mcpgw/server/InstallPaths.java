package io.mcpgw.server;

import java.nio.file.Path;

/**
 * Where things are: the install directory ({@code MCPGW_HOME}) and what is relative to it.
 *
 * @param home the install directory; relative paths in the configuration resolve against it
 */
public record InstallPaths(Path home) {

    public InstallPaths {
        home = home.toAbsolutePath().normalize();
    }

    /** The install directory the launcher set ({@code -Dmcpgw.home}), else the working directory. */
    public static InstallPaths fromSystemProperties() {
        return new InstallPaths(Path.of(System.getProperty("mcpgw.home", "")));
    }

    public Path resolve(String path) {
        return home.resolve(path).normalize();
    }

    public Path defaultConfig() {
        return home.resolve("conf").resolve("mcpgw.yaml");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path pidFile() {
        return home.resolve("var").resolve("run").resolve("mcpgw.pid");
    }

    /** Written by a running gateway once it is ready: its pid and listen addresses, as JSON. */
    public Path stateFile() {
        return home.resolve("var").resolve("run").resolve("mcpgw.json");
    }
}
