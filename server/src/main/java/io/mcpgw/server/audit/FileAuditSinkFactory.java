package io.mcpgw.server.audit;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code audit: [{type: file}]}: NDJSON, one event per line, each event once, forced to disk with each batch. When the file passes
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

    /**
     * Writes each batch with one {@code write(2)} and forces it. A batch may come again (the gateway crashed after the
     * write and before the journal recorded it as taken, or the write failed halfway): so on its first write, and after
     * a failed one, the sink reads the ids at the end of its trail and skips the events already there, and it ends a
     * torn last line before appending.
     */
    private static final class Sink implements AuditSink {

        /** How much of the trail's end is read for the ids it holds: far more than one batch. */
        private static final int RECOVERY_BYTES = 8 * 1024 * 1024;
        private static final String ID_PREFIX = "{\"id\":\"";

        private final Path file;
        private final long maxBytes;
        private final int maxFiles;
        private Set<String> alreadyWritten;
        private boolean torn;

        Sink(Path file, long maxBytes, int maxFiles) {
            this.file = file;
            this.maxBytes = maxBytes;
            this.maxFiles = maxFiles;
        }

        @Override
        public void write(List<AuditEvent> batch) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (alreadyWritten == null) {
                recover();
            }
            if (Files.exists(file) && Files.size(file) >= maxBytes) {
                rotate();
            }
            StringBuilder lines = new StringBuilder();
            if (torn) {
                lines.append('\n');
            }
            for (AuditEvent event : batch) {
                if (!alreadyWritten.contains(event.id())) {
                    lines.append(event.toJson()).append('\n');
                }
            }
            alreadyWritten = null;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                channel.force(false);
            }
            alreadyWritten = Set.of();
            torn = false;
        }

        /** Reads the ids at the end of the trail (the current file, and the last rotated one when that is short). */
        private void recover() throws IOException {
            Set<String> ids = new HashSet<>();
            long left = RECOVERY_BYTES;
            torn = false;
            for (Path candidate : List.of(file, numbered(1))) {
                if (left <= 0 || !Files.exists(candidate)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ)) {
                    long size = channel.size();
                    long from = Math.max(0, size - left);
                    ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
                    while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                        // reads the whole tail
                    }
                    String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
                    if (candidate.equals(file) && !text.isEmpty() && !text.endsWith("\n")) {
                        torn = true;
                    }
                    for (String line : text.split("\n")) {
                        int end = line.indexOf('"', ID_PREFIX.length());
                        if (line.startsWith(ID_PREFIX) && end > 0) {
                            ids.add(line.substring(ID_PREFIX.length(), end));
                        }
                    }
                    left -= size - from;
                }
            }
            alreadyWritten = ids;
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
