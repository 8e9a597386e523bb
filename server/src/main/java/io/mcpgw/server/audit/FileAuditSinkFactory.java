package io.mcpgw.server.audit;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.AuditSinkFactory;
import io.mcpgw.spi.audit.JournaledEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * {@code audit: [{type: file}]}: NDJSON, one event per line (the journal's line, as it is), each event once, forced to
 * disk with each batch. When the file passes {@code maxBytes} it becomes {@code <name>.1}, the older ones shift up,
 * and at most {@code maxFiles} are kept.
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
     * Writes each batch as the journal's lines, with one {@code write(2)}, and forces it. Batches may come again (the
     * gateway crashed after the writes and before the journal recorded them as taken, or a write failed halfway): so on
     * its first write, and after a failed one, the sink reads the ids at the end of its trail and skips the events
     * already there, batch after batch until one holds none of them (what comes again comes in order, so the rest is
     * new), and it ends a torn last line before appending.
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
        /** Where a batch's lines are gathered for its write. */
        private ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);

        Sink(Path file, long maxBytes, int maxFiles) {
            this.file = file;
            this.maxBytes = maxBytes;
            this.maxFiles = maxFiles;
        }

        @Override
        public void write(List<AuditEvent> batch) throws IOException {
            writeJournaled(batch.stream().map(JournaledEvent::of).toList());
        }

        @Override
        public void writeJournaled(List<JournaledEvent> batch) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (alreadyWritten == null) {
                recover();
            }
            if (Files.exists(file) && Files.size(file) >= maxBytes) {
                rotate();
            }
            Set<String> recovered = alreadyWritten;
            // past what comes again: a batch of the journal's events none of which the trail holds
            boolean past = recovered.isEmpty() || batch.stream().noneMatch(event -> recovered.contains(event.event().id()))
                    && !batch.stream().allMatch(event -> event.event().type() == AuditEventType.AUDIT_OVERFLOW);
            ByteBuffer out = lines(batch);
            alreadyWritten = null;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.force(false);
            }
            alreadyWritten = past ? Set.of() : recovered;
            torn = false;
        }

        /** The batch's lines but those already in the trail, after a newline that ends a torn last line. */
        private ByteBuffer lines(List<JournaledEvent> batch) {
            buffer.clear();
            if (torn) {
                room(1).put((byte) '\n');
            }
            for (JournaledEvent event : batch) {
                if (alreadyWritten.isEmpty() || !alreadyWritten.contains(event.event().id())) {
                    ByteBuffer line = event.utf8();
                    room(line.remaining() + 1).put(line).put((byte) '\n');
                }
            }
            return buffer.flip();
        }

        /** The buffer, with room for {@code bytes} more. */
        private ByteBuffer room(int bytes) {
            if (buffer.remaining() < bytes) {
                buffer = ByteBuffer.allocateDirect(Math.max(2 * buffer.capacity(), buffer.position() + bytes)).put(buffer.flip());
            }
            return buffer;
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
