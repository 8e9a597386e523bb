package io.mcpgw.server.jsonrpc;

/**
 * Client input quoted in an error message: at most {@value #MAX_CHARS} characters of it, so an error never echoes
 * a large part of what a client sent (into its answer, the logs or the audit trail).
 */
public final class ClientText {

    static final int MAX_CHARS = 100;

    private ClientText() {}

    /** {@code text} as it may appear in a message: cut after {@value #MAX_CHARS} characters, marked with an ellipsis. */
    public static String excerpt(String text) {
        if (text == null) {
            return "null";
        }
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, end) + "...";
    }
}
