package io.mcpgw.server.ingress;

import java.nio.ByteBuffer;

/**
 * The chunked transfer coding of a request body, decoded exactly by RFC 9112's grammar (section 7.1): a chunk size is
 * one or more hex digits, an extension is {@code ;name} or {@code ;name=token} or {@code ;name="quoted"} (with optional
 * spaces and tabs around {@code ;} and {@code =}), every line ends with CRLF, chunk data is followed by CRLF, and
 * trailer fields are {@code name:value} lines; a size line is at most {@value #MAX_LINE_BYTES} bytes, the trailers at
 * most {@value #MAX_TRAILER_BYTES}. Anything else is a {@link MalformedChunkedBody}. Extensions and trailers are
 * checked and dropped: nothing in the gateway reads them.
 */
final class ChunkedFraming {

    static final int MAX_LINE_BYTES = 4096;
    static final int MAX_TRAILER_BYTES = 8192;

    private static final int CR = '\r';
    private static final int LF = '\n';
    private static final long LARGEST_SHIFTABLE = Long.MAX_VALUE >> 4;
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
            TCHAR[c + ('a' - 'A')] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private enum State {
        SIZE, BWS_BEFORE_SEMICOLON, BEFORE_NAME, NAME, BWS_AFTER_NAME, BEFORE_VALUE, TOKEN_VALUE, QUOTED_VALUE, QUOTED_PAIR,
        AFTER_QUOTED, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF, LAST_LF, ENDED
    }

    private State state = State.SIZE;
    private long size;
    private boolean sized;
    private long dataLeft;
    private int lineBytes;
    private int trailerBytes;

    /** Whether the last chunk and the trailers have been read: the body is whole. */
    boolean ended() {
        return state == State.ENDED;
    }

    /**
     * Consumes framing from {@code raw} and copies chunk data into {@code data}, as far as both allow and until the body
     * ends (what follows it stays in {@code raw}); returns how many data bytes were copied.
     */
    int decode(ByteBuffer raw, ByteBuffer data) throws MalformedChunkedBody {
        int copied = 0;
        while (raw.hasRemaining() && state != State.ENDED) {
            if (state != State.DATA) {
                frame(raw.get() & 0xFF);
                continue;
            }
            int length = (int) Math.min(dataLeft, Math.min(raw.remaining(), data.remaining()));
            if (length == 0) {
                break;
            }
            int limit = raw.limit();
            raw.limit(raw.position() + length);
            data.put(raw);
            raw.limit(limit);
            copied += length;
            dataLeft -= length;
            if (dataLeft == 0) {
                state = State.DATA_CR;
            }
        }
        return copied;
    }

    private void frame(int b) throws MalformedChunkedBody {
        if (b == LF && state != State.SIZE_LF && state != State.DATA_LF && state != State.TRAILER_LF && state != State.LAST_LF) {
            throw new MalformedChunkedBody("a line not ended by CRLF");
        }
        if (state.ordinal() <= State.SIZE_LF.ordinal() && ++lineBytes > MAX_LINE_BYTES) {
            throw new MalformedChunkedBody("a chunk-size line longer than " + MAX_LINE_BYTES + " bytes");
        }
        if (state.ordinal() >= State.TRAILER_START.ordinal() && ++trailerBytes > MAX_TRAILER_BYTES) {
            throw new MalformedChunkedBody("trailer fields longer than " + MAX_TRAILER_BYTES + " bytes");
        }
        state = switch (state) {
            case SIZE -> size(b);
            case BWS_BEFORE_SEMICOLON -> isWhitespace(b) ? state : expect(b == ';', State.BEFORE_NAME);
            case BEFORE_NAME -> isWhitespace(b) ? state : expect(TCHAR[b], State.NAME);
            case NAME -> TCHAR[b] ? state : b == '=' ? State.BEFORE_VALUE : isWhitespace(b) ? State.BWS_AFTER_NAME : afterItem(b);
            case BWS_AFTER_NAME -> isWhitespace(b) ? state : b == '=' ? State.BEFORE_VALUE : expect(b == ';', State.BEFORE_NAME);
            case BEFORE_VALUE -> isWhitespace(b) ? state : b == '"' ? State.QUOTED_VALUE : expect(TCHAR[b], State.TOKEN_VALUE);
            case TOKEN_VALUE -> TCHAR[b] ? state : afterItem(b);
            case QUOTED_VALUE -> b == '"' ? State.AFTER_QUOTED : b == '\\' ? State.QUOTED_PAIR : expect(isQuotedText(b), state);
            case QUOTED_PAIR -> expect(isWhitespace(b) || isVisible(b), State.QUOTED_VALUE);
            case AFTER_QUOTED -> afterItem(b);
            case SIZE_LF -> sizeLineEnded(b);
            case DATA_CR, DATA_LF -> dataEnded(b);
            case TRAILER_START -> b == CR ? State.LAST_LF : trailer(TCHAR[b], State.TRAILER_NAME);
            case TRAILER_NAME -> TCHAR[b] ? state : trailer(b == ':', State.TRAILER_VALUE);
            case TRAILER_VALUE -> b == CR ? State.TRAILER_LF : trailer(isWhitespace(b) || isVisible(b), state);
            case TRAILER_LF -> lineEnded(b, State.TRAILER_START);
            case LAST_LF -> lineEnded(b, State.ENDED);
            case DATA, ENDED -> throw new IllegalStateException(state + " reads no framing");
        };
    }

    private State size(int b) throws MalformedChunkedBody {
        int digit = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
        if (digit < 0) {
            if (!sized) {
                throw new MalformedChunkedBody("a chunk size that is not hexadecimal");
            }
            return afterItem(b);
        }
        if (size > LARGEST_SHIFTABLE) {
            throw new MalformedChunkedBody("a chunk size too large");
        }
        size = size << 4 | digit;
        sized = true;
        return State.SIZE;
    }

    /** After the size or an extension: more extensions, or the end of the line. */
    private static State afterItem(int b) throws MalformedChunkedBody {
        return isWhitespace(b) ? State.BWS_BEFORE_SEMICOLON : b == ';' ? State.BEFORE_NAME : expect(b == CR, State.SIZE_LF);
    }

    private State sizeLineEnded(int b) throws MalformedChunkedBody {
        lineEnded(b, State.SIZE_LF);
        lineBytes = 0;
        dataLeft = size;
        size = 0;
        sized = false;
        return dataLeft == 0 ? State.TRAILER_START : State.DATA;
    }

    private State dataEnded(int b) throws MalformedChunkedBody {
        if (state == State.DATA_CR ? b != CR : b != LF) {
            throw new MalformedChunkedBody("chunk data longer than its size, or not followed by CRLF");
        }
        return state == State.DATA_CR ? State.DATA_LF : State.SIZE;
    }

    private static State lineEnded(int b, State next) throws MalformedChunkedBody {
        if (b != LF) {
            throw new MalformedChunkedBody("a line not ended by CRLF");
        }
        return next;
    }

    private static State expect(boolean valid, State next) throws MalformedChunkedBody {
        if (!valid) {
            throw new MalformedChunkedBody("a malformed chunk extension");
        }
        return next;
    }

    private static State trailer(boolean valid, State next) throws MalformedChunkedBody {
        if (!valid) {
            throw new MalformedChunkedBody("a malformed trailer field");
        }
        return next;
    }

    private static boolean isWhitespace(int b) {
        return b == ' ' || b == '\t';
    }

    /** VCHAR or obs-text. */
    private static boolean isVisible(int b) {
        return b >= 0x21 && b != 0x7F;
    }

    /** qdtext: what a quoted string holds unescaped. */
    private static boolean isQuotedText(int b) {
        return isWhitespace(b) || isVisible(b) && b != '"' && b != '\\';
    }
}
