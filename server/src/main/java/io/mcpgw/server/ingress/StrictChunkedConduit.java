package io.mcpgw.server.ingress;

import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Reads a request's chunked body by {@link ChunkedFraming} in place of Undertow's reader, which takes bytes that are
 * no chunk size for an extension (or for the last chunk), skips what follows chunk data up to a newline, and closes the
 * connection on the errors it does see, so the client gets no answer. Here a malformed body is a
 * {@link MalformedChunkedBody} for whoever reads it, the connection stays open for the 400 that answers it, and closes
 * after (the exchange is no longer persistent); every read after that, or after the body ended, is the end of the
 * stream. What follows a whole body (a pipelined request) goes back to the connection, as Undertow's reader does.
 */
final class StrictChunkedConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private final HttpServerExchange exchange;
    private final HttpServerConnection connection;
    private final ChunkedFraming framing = new ChunkedFraming();
    private boolean over;

    private StrictChunkedConduit(StreamSourceConduit raw, HttpServerExchange exchange, HttpServerConnection connection) {
        super(raw);
        this.exchange = exchange;
        this.connection = connection;
    }

    /**
     * From now on {@code exchange}'s body (chunked, as its headers said) is read strictly; nothing may have read it yet.
     * The raw bytes come as Undertow's own reader would have had them: what the request's head left over, then the socket.
     */
    static void install(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof HttpServerConnection connection) {
            connection.getChannel().getSourceChannel().setConduit(new StrictChunkedConduit(
                    new ReadDataStreamSourceConduit(connection.getOriginalSourceConduit(), connection), exchange, connection));
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (over) {
            return -1;
        }
        PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
        ByteBuffer raw = pooled.getBuffer();
        boolean keep = false;
        try {
            int copied = 0;
            while (dst.hasRemaining() && !framing.ended() && !keep) {
                raw.clear();
                int read = next.read(raw);
                if (read == 0) {
                    break;
                }
                if (read < 0) {
                    throw new MalformedChunkedBody("the body ended before its last chunk");
                }
                raw.flip();
                copied += framing.decode(raw, dst);
                keep = raw.hasRemaining();
            }
            if (framing.ended()) {
                over = true;
                Connectors.terminateRequest(exchange);
                return copied == 0 ? -1 : copied;
            }
            return copied;
        } catch (MalformedChunkedBody e) {
            over = true;
            exchange.setPersistent(false);
            next.suspendReads();
            throw e;
        } finally {
            if (keep) {
                connection.ungetRequestBytes(pooled);
            } else {
                pooled.close();
            }
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return IoUtils.transfer(new ConduitReadableByteChannel(this), count, throughBuffer, target);
    }

    /** The exchange stops reading: unless the body was whole, where a next request would begin is unknown. */
    @Override
    public void terminateReads() throws IOException {
        if (!framing.ended()) {
            exchange.setPersistent(false);
        }
        over = true;
        next.terminateReads();
    }
}
