package io.mcpgw.server.transport.stdio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Newline-delimited UTF-8 lines from a stream, each at most {@code maxBytes} bytes: a longer line fails with
 * {@link TooLong} once its first {@code maxBytes + 1} bytes have been read, so a peer that never sends a newline
 * costs no more memory than the limit. A {@code \r} before the newline is dropped.
 */
final class BoundedLineReader {

    private static final int CHUNK = 64 * 1024;

    /** A line went past the limit; what was read of it is dropped. */
    static final class TooLong extends IOException {
        TooLong(int maxBytes) {
            super("a line is longer than " + maxBytes + " bytes");
        }
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] chunk = new byte[CHUNK];
    private int start;
    private int end;
    /** A line that spans reads is gathered here, grown as needed and never past the limit. */
    private byte[] line = new byte[0];
    private int lineLength;

    BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the stream. */
    String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (start == end) {
                int read = in.read(chunk, 0, CHUNK);
                if (read < 0) {
                    return lineLength > 0 ? decode(line, 0, lineLength) : null;
                }
                start = 0;
                end = read;
            }
            int newline = indexOfNewline();
            if (newline >= 0 && lineLength == 0) {
                check(newline - start);
                String whole = decode(chunk, start, newline - start);
                start = newline + 1;
                return whole;
            }
            int stop = newline >= 0 ? newline : end;
            append(stop - start);
            start = newline >= 0 ? newline + 1 : end;
            if (newline >= 0) {
                return decode(line, 0, lineLength);
            }
        }
    }

    private int indexOfNewline() {
        for (int i = start; i < end; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int count) throws TooLong {
        check(lineLength + count);
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxBytes, Math.max(lineLength + count, 2L * line.length)));
        }
        System.arraycopy(chunk, start, line, lineLength, count);
        lineLength += count;
    }

    private void check(long length) throws TooLong {
        if (length > maxBytes) {
            throw new TooLong(maxBytes);
        }
    }

    private static String decode(byte[] bytes, int offset, int length) {
        int trimmed = length > 0 && bytes[offset + length - 1] == '\r' ? length - 1 : length;
        return new String(bytes, offset, trimmed, StandardCharsets.UTF_8);
    }
}
