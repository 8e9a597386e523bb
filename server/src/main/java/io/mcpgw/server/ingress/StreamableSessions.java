package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.session.ClientSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link SessionStreams} of each Streamable HTTP session, by session id: made when the session opens, dropped when
 * it ends. Sessions of the other transports have none.
 */
@Singleton
final class StreamableSessions {

    private final int replayEvents;
    private final Map<String, SessionStreams> bySession = new ConcurrentHashMap<>();

    @Inject
    StreamableSessions(McpgwConfig config) {
        this.replayEvents = config.server().sseReplayEvents();
    }

    /** Streams for a session about to open; {@link #keep} them once it has. */
    SessionStreams create() {
        return new SessionStreams(replayEvents);
    }

    /** Keeps {@code streams} as the session's until it ends, and then ends them. */
    void keep(ClientSession session, SessionStreams streams) {
        String id = session.id();
        bySession.put(id, streams);
        session.onClose(() -> {
            bySession.remove(id, streams);
            streams.close();
        });
    }

    /**
     * The session's streams. A session kept nowhere (a stateless request's) or one that has just ended gets streams of
     * its own, which nothing can resume.
     */
    SessionStreams of(ClientSession session) {
        SessionStreams kept = bySession.get(session.id());
        return kept != null ? kept : create();
    }

    /** Ends the streams that only wait for news (each session's GET stream); answers in flight keep theirs. */
    void closeStandaloneStreams() {
        bySession.values().forEach(streams -> streams.standalone().finish());
    }
}
