package io.mcpgw.server.jsonrpc;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A client's message read strictly, so that what the gateway reads is what anything in front of it read: invalid
 * UTF-8 is a parse error, and a key written twice makes the message invalid rather than letting the last one win.
 * The UTF-8 is checked before Jackson parses: its byte parser looks field names up in its symbol table before it
 * decodes them, so a malformed name can come out as a known one ({@code meth\xffod} as {@code method}).
 */
public final class StrictJson {

    private static final ObjectReader READER = JsonRpc.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int CHUNK_CHARS = 1024;

    private StrictJson() {}

    /** A message's bytes as JSON; a {@link GatewayException} with {@code -32700} or {@code -32600} when it is none. */
    public static JsonNode parse(byte[] bytes) {
        if (!isUtf8(bytes)) {
            throw new GatewayException(ErrorCode.PARSE_ERROR, "Parse error: the message is not valid UTF-8");
        }
        try (JsonParser parser = READER.createParser(bytes)) {
            return whole(parser);
        } catch (JsonProcessingException e) {
            throw refused(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array cannot fail", e);
        }
    }

    /** A message's text as JSON, refused as {@link #parse(byte[])} refuses. */
    public static JsonNode parse(String text) {
        try (JsonParser parser = READER.createParser(text)) {
            return whole(parser);
        } catch (JsonProcessingException e) {
            throw refused(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
    }

    /**
     * The one value the input holds. Trailing tokens are looked for here rather than by Jackson, whose refusal of
     * them is the same exception as its refusal of a duplicate key.
     */
    private static JsonNode whole(JsonParser parser) throws IOException {
        JsonNode value = READER.readTree(parser);
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "trailing content");
        }
        return value;
    }

    /** The refusal, in words of the gateway's own: where the JSON broke, never the parser's message about the input. */
    private static GatewayException refused(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (e instanceof MismatchedInputException) {
            return new GatewayException(ErrorCode.INVALID_REQUEST, "Invalid Request: a key appears twice in one object" + where);
        }
        return new GatewayException(ErrorCode.PARSE_ERROR, "Parse error: not valid JSON" + where);
    }

    /** Whether {@code bytes} are well-formed UTF-8; an ASCII prefix (most messages are all ASCII) is skipped undecoded. */
    private static boolean isUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && bytes[i] >= 0) {
            i++;
        }
        if (i == bytes.length) {
            return true;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, i, bytes.length - i);
        CharBuffer out = CharBuffer.allocate(CHUNK_CHARS);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return false;
            }
            if (result.isUnderflow()) {
                return !decoder.flush(out.clear()).isError();
            }
            out.clear();
        }
    }
}
