package io.mcpgw.server.ingress;

import java.util.Locale;

/** What a client's {@code Accept} header allows; no header allows anything. */
record Accept(boolean json, boolean eventStream) {

    static Accept of(String header) {
        if (header == null) {
            return new Accept(true, true);
        }
        String lower = header.toLowerCase(Locale.ROOT);
        boolean any = lower.contains("*/*");
        return new Accept(any || lower.contains("application/json") || lower.contains("application/*"),
                any || lower.contains("text/event-stream") || lower.contains("text/*"));
    }
}
