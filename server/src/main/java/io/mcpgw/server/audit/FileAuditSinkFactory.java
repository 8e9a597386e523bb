package io.mcpgw.server.audit;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code audit: [{type: file}]}: NDJSON, one event per line, forced to disk with each batch. When the file passes
 * {@code maxBytes} it becomes {@code <name>.1}, the older ones shift up, and at most {@code maxFiles} are kept.
 */
public final class FileAuditSinkFactory implements AuditSinkFactory {

    /**
     * The keys of the section.
     *
     * @param path the file, relative to the extension's data directory unless absolute; default {@code audit.ndjson}
     * @param maxBytes size at which the file is rotated; default 100 MB
     * @param maxFiles rotated files kept besides the current one; default 10
     */
    record Settings(String path, Long maxBytes, Integer maxFiles) {
        Settings {
            path = path == null ? "audit.ndjson" : path;
            maxBytes = maxBytes == null ? 100L * 1024 * 1024 : maxBytes;
            maxFiles = maxFiles == null ? 10 : maxFiles;
            if (maxBytes < 1 || maxFiles < 0) {
                throw new IllegalArgumentException((maxBytes < 1 ? "maxBytes: must be positive" : "maxFiles: must not be negative"));
            }
        }
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public AuditSink create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        Path file = context.dataDirectory().resolve(settings.path());
        return new Sink(file, settings.maxBytes(), settings.maxFiles());
    }

    private record Sink(Path file, long maxBytes, int maxFiles) implements AuditSink {

        @Override
        public void write(List<AuditEvent> batch) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file) && Files.size(file) >= maxBytes) {
                rotate();
            }
            StringBuilder lines = new StringBuilder();
            for (AuditEvent event : batch) {
                lines.append(event.toJson()).append('\n');
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                channel.force(false);
            }
        }

        private void rotate() throws IOException {
            Files.deleteIfExists(numbered(maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (maxFiles > 0) {
                Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(file);
            }
        }

        private Path numbered(int index) {
            return file.resolveSibling(file.getFileName() + "." + index);
        }
    }
}
