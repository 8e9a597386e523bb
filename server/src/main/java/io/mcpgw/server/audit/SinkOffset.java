package io.mcpgw.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where one sink stands in the journal: the position just past the last event it took, kept in a file beside the
 * segments and replaced atomically after each batch. It is not forced to disk: after a power loss a sink may be
 * given again what it took in the last interval, which its store deduplicates by event id.
 */
final class SinkOffset {

    private final Path file;

    SinkOffset(Path file) {
        this.file = file;
    }

    /** The position read from the file, or {@code otherwise} for a sink new to this journal. */
    long read(long otherwise) {
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : otherwise;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("the audit sink offset " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    void write(long position) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, Long.toString(position));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the audit sink offset in " + file, e);
        }
    }
}
