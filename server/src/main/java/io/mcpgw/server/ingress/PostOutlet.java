package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Where the messages about one POSTed request go (progress, log messages, a backend's requests to the client). A
 * request whose answer comes alone is answered with plain JSON; the first message before the answer turns the
 * response into an SSE stream, and everything goes there. A client that accepts no SSE gets them on its GET stream.
 */
final class PostOutlet implements Consumer<ObjectNode> {

    private final ClientSession session;
    private final boolean streamable;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ObjectNode> early = new ArrayList<>();
    private SseStream stream;
    private boolean answered;
    private Consumer<Boolean> decision;

    PostOutlet(ClientSession session, boolean streamable) {
        this.session = session;
        this.streamable = streamable;
    }

    @Override
    public void accept(ObjectNode message) {
        if (!streamable) {
            session.sendUnsolicited(message);
            return;
        }
        lock.lock();
        try {
            if (stream != null) {
                stream.emit(JsonRpc.write(message));
            } else {
                early.add(message);
            }
        } finally {
            lock.unlock();
        }
        decide();
    }

    /**
     * Tells {@code decided}, once, whether the answer can go alone (it is ready and nothing had to go before it) or
     * a message has to go first. It runs where that became known: the answering or the messaging thread.
     */
    void whenDecided(CompletableFuture<?> answer, Consumer<Boolean> decided) {
        lock.lock();
        try {
            decision = decided;
        } finally {
            lock.unlock();
        }
        answer.whenComplete((result, error) -> {
            lock.lock();
            try {
                answered = true;
            } finally {
                lock.unlock();
            }
            decide();
        });
        decide();
    }

    /** Waits until the answer is ready or a message has to go before it; true when the answer can go alone. */
    boolean answersAlone(CompletableFuture<?> answer) {
        CompletableFuture<Boolean> alone = new CompletableFuture<>();
        whenDecided(answer, alone::complete);
        return alone.join();
    }

    private void decide() {
        Consumer<Boolean> decided;
        boolean alone;
        lock.lock();
        try {
            if (decision == null || (!answered && early.isEmpty())) {
                return;
            }
            decided = decision;
            decision = null;
            alone = early.isEmpty();
        } finally {
            lock.unlock();
        }
        decided.accept(alone);
    }

    /** From now on messages go to {@code opened}, the ones held back first. */
    void streamTo(SseStream opened) {
        lock.lock();
        try {
            early.forEach(message -> opened.emit(JsonRpc.write(message)));
            early.clear();
            stream = opened;
        } finally {
            lock.unlock();
        }
    }
}
