package io.mcpgw.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The built distribution's install tree, copied where a test runs it as a user would. */
final class InstallTree {

    static final Path DIST = Path.of(System.getProperty("mcpgw.dist"));

    private InstallTree() {}

    static void copyTo(Path home) throws IOException {
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : files.toList()) {
                Path target = home.resolve(DIST.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
