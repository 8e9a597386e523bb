package io.mcpgw.server.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The journal's files: audit events as NDJSON, one line each, in segment files named by the position of their first
 * byte in the whole journal (so a position names one place for good, across rotations and restarts). One writer
 * at a time appends to the newest segment (the journal's writer holds a lock for it); readers read any retained segment up to {@link #end()}, which only moves once a
 * write returned. A torn last line (a power loss mid-write) is cut off when the journal opens.
 */
final class JournalSegments {

    private static final Pattern SEGMENT = Pattern.compile("\\d{20}\\.ndjson");
    private static final int READ_CHUNK = 64 * 1024;

    private final Path directory;
    private final long segmentBytes;
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private volatile FileChannel current;
    private long currentStart;
    private volatile long end;

    JournalSegments(Path directory, long segmentBytes) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    if (SEGMENT.matcher(file.getFileName().toString()).matches()) {
                        segments.put(Long.parseLong(file.getFileName().toString().substring(0, 20)), file);
                    }
                }
            }
            if (segments.isEmpty()) {
                segments.put(0L, segmentFile(0));
            }
            Map.Entry<Long, Path> last = segments.lastEntry();
            currentStart = last.getKey();
            current = FileChannel.open(last.getValue(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            long whole = wholeLines(current);
            current.truncate(whole);
            current.position(whole);
            end = currentStart + whole;
        } catch (IOException e) {
            throw new UncheckedIOException("the audit journal in " + directory + " cannot be opened: " + e.getMessage(), e);
        }
    }

    Path directory() {
        return directory;
    }

    /** The position just past the last event written. */
    long end() {
        return end;
    }

    /** The position of the oldest event kept. */
    synchronized long start() {
        return segments.firstKey();
    }

    /** Bytes kept on disk. */
    synchronized long size() {
        return end - segments.firstKey();
    }

    /** Writes whole lines at the end and returns where they start. */
    synchronized long write(ByteBuffer lines) throws IOException {
        long start = end;
        try {
            while (lines.hasRemaining()) {
                current.write(lines);
            }
        } catch (IOException e) {
            // What a failed write left (part of a line, on a full disk) goes, so the batch is written again whole.
            try {
                current.truncate(end - currentStart);
                current.position(end - currentStart);
            } catch (IOException truncating) {
                e.addSuppressed(truncating);
            }
            throw e;
        }
        end = currentStart + current.position();
        return start;
    }

    /** Whether the newest segment reached its size, so {@link #rotateIfFull} would close it. */
    synchronized boolean full() {
        return end - currentStart >= segmentBytes;
    }

    /**
     * Closes the newest segment when it reached its size (forced to disk first) and starts the next, so once the
     * sinks took it, it can go. Kept apart from {@link #write}, which an I/O thread may call: this one waits for the disk.
     */
    synchronized void rotateIfFull() throws IOException {
        if (full()) {
            rotate();
        }
    }

    /** Forces what was written to the disk; needs no lock, so writes go on meanwhile. */
    void force() throws IOException {
        try {
            current.force(false);
        } catch (ClosedChannelException rotated) {
            // a rotation forced and closed that segment
        }
    }

    private void rotate() throws IOException {
        current.force(false);
        current.close();
        currentStart = end;
        Path file = segmentFile(currentStart);
        segments.put(currentStart, file);
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /** Deletes the segments whose every event lies before {@code position}; the newest is kept. */
    synchronized void deleteBefore(long position) {
        while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= position) {
            deleteOldest();
        }
    }

    /** Where the oldest segment ends, when it is not the newest. */
    synchronized OptionalLong oldestEnd() {
        return segments.size() > 1 ? OptionalLong.of(segments.higherKey(segments.firstKey())) : OptionalLong.empty();
    }

    synchronized void deleteOldest() {
        Path file = segments.pollFirstEntry().getValue();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the audit journal segment " + file, e);
        }
    }

    /**
     * Up to {@code max} events from {@code from} (a position at which an event starts, at or after {@link #start()}),
     * none at or past {@code limit}, as their lines (parsed only when a sink asks for an event); they come from one
     * segment, so a read that ends at a segment's end continues in the next with the next call.
     */
    List<JournalRecord> read(long from, long limit, int max) {
        List<JournalRecord> records = new ArrayList<>();
        Map.Entry<Long, Path> segment;
        synchronized (this) {
            segment = segments.floorEntry(from);
            Long next = segments.higherKey(from);
            limit = Math.min(limit, next == null ? end : next);
        }
        if (segment == null) {
            return records;
        }
        try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.READ)) {
            long position = from;
            int chunk = READ_CHUNK;
            while (records.size() < max && position < limit) {
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(chunk, limit - position));
                while (buffer.hasRemaining() && channel.read(buffer, position - segment.getKey() + buffer.position()) > 0) {
                    // reads until the chunk is full: the bytes up to the limit are all written
                }
                byte[] bytes = buffer.array();
                int lineStart = 0;
                for (int i = 0; i < buffer.position() && records.size() < max; i++) {
                    if (bytes[i] == '\n') {
                        if (i > lineStart) {
                            records.add(new JournalRecord(null, bytes, lineStart, i - lineStart, position + lineStart));
                        }
                        lineStart = i + 1;
                    }
                }
                if (lineStart == 0) {
                    if (buffer.position() < chunk) {
                        break;
                    }
                    chunk *= 2;
                }
                position += lineStart;
            }
        } catch (NoSuchFileException deleted) {
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit journal segment " + segment.getValue(), e);
        }
        return records;
    }

    /** How many events lie between two positions (their lines counted, not parsed). */
    long count(long from, long to) {
        Map<Long, Path> overlapping;
        synchronized (this) {
            Long first = segments.floorKey(Math.max(from, segments.firstKey()));
            overlapping = new TreeMap<>(segments.subMap(first, true, to, false));
            to = Math.min(to, end);
        }
        long events = 0;
        ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
        for (Map.Entry<Long, Path> segment : overlapping.entrySet()) {
            try (FileChannel channel = FileChannel.open(segment.getValue(), StandardOpenOption.READ)) {
                long position = Math.max(from, segment.getKey()) - segment.getKey();
                long stop = Math.min(to - segment.getKey(), channel.size());
                while (position < stop) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), stop - position));
                    int read = channel.read(buffer, position);
                    if (read <= 0) {
                        break;
                    }
                    for (int i = 0; i < read; i++) {
                        if (buffer.get(i) == '\n') {
                            events++;
                        }
                    }
                    position += read;
                }
            } catch (NoSuchFileException deleted) {
                // dropped meanwhile: its events are no longer waiting
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit journal segment " + segment.getValue(), e);
            }
        }
        return events;
    }

    private Path segmentFile(long start) {
        return directory.resolve("%020d.ndjson".formatted(start));
    }

    /** The length of the file's whole lines: what lies after its last newline was torn. */
    private static long wholeLines(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (long chunkEnd = size; chunkEnd > 0; chunkEnd -= buffer.capacity()) {
            long chunkStart = Math.max(0, chunkEnd - buffer.capacity());
            buffer.clear().limit((int) (chunkEnd - chunkStart));
            channel.read(buffer, chunkStart);
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return chunkStart + i + 1;
                }
            }
        }
        return 0;
    }
}
