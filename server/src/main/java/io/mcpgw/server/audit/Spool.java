package io.mcpgw.server.audit;

import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEvent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink's overflow on disk: events appended as NDJSON, in order, and read back from a committed offset kept in
 * a file beside it, so a restart resumes where delivery stopped. Emptied (truncated) once every event in it has
 * been delivered. One writer appends, one reader reads; the journal serializes them with its own lock.
 */
final class Spool {

    private final Path file;
    private final Path offsetFile;
    private long committed;
    private OutputStream appender;

    Spool(Path file) {
        this.file = file;
        this.offsetFile = file.resolveSibling(file.getFileName() + ".offset");
        try {
            Files.createDirectories(file.getParent());
            committed = Files.exists(offsetFile) ? Long.parseLong(Files.readString(offsetFile).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("audit spool " + file + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /** Whether events wait in the spool. */
    boolean hasPending() {
        try {
            return Files.exists(file) && Files.size(file) > committed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many bytes of events wait in the spool. */
    long pendingBytes() {
        try {
            return Files.exists(file) ? Math.max(0, Files.size(file) - committed) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Appends events; they are in the file (not only in a buffer) when this returns. */
    void append(List<AuditEvent> events) {
        try {
            if (appender == null) {
                appender = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            }
            for (AuditEvent event : events) {
                appender.write(JsonRpc.MAPPER.writeValueAsBytes(AuditEventJson.write(event)));
                appender.write('\n');
            }
            appender.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool audit events to " + file, e);
        }
    }

    /** Up to {@code max} events after the committed offset, and the offset just past them. */
    Batch read(int max) {
        List<AuditEvent> events = new ArrayList<>();
        long offset = committed;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(committed)))) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int b;
            while (events.size() < max && (b = in.read()) != -1) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                offset += line.size() + 1;
                if (line.size() > 0) {
                    events.add(AuditEventJson.read(JsonRpc.MAPPER.readTree(line.toByteArray())));
                }
                line.reset();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit spool " + file, e);
        }
        return new Batch(events, offset);
    }

    /** The events up to {@code offset} were delivered; an emptied spool is truncated. */
    void commit(long offset) {
        committed = offset;
        try {
            if (Files.size(file) <= committed) {
                closeAppender();
                Files.deleteIfExists(file);
                Files.deleteIfExists(offsetFile);
                committed = 0;
                return;
            }
            Path temporary = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
            Files.writeString(temporary, Long.toString(committed));
            Files.move(temporary, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the audit spool's offset in " + offsetFile, e);
        }
    }

    /** Puts {@code older} in front of what waits in the spool (events that were still in memory at shutdown). */
    void prepend(List<AuditEvent> older) {
        if (older.isEmpty()) {
            return;
        }
        try {
            Path rewritten = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(rewritten);
            Spool fresh = new Spool(rewritten);
            fresh.append(older);
            if (hasPending()) {
                Batch rest;
                while (!(rest = read(1000)).events().isEmpty()) {
                    fresh.append(rest.events());
                    committed = rest.offset();
                }
            }
            fresh.closeAppender();
            closeAppender();
            Files.move(rewritten, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(offsetFile);
            committed = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the audit spool " + file, e);
        }
    }

    private void closeAppender() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    record Batch(List<AuditEvent> events, long offset) {}
}
