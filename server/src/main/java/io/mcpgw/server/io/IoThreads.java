package io.mcpgw.server.io;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.lifecycle.ManagedService;
import io.undertow.Undertow;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * The socket threads the client listener and the HTTP backends share, and the virtual threads work that may block
 * runs on. Sharing them is the point: a backend's answer arrives on the same thread that read the client's request,
 * so a call that nothing holds up passes through the gateway without waking another thread.
 */
@Singleton
public final class IoThreads implements ManagedService {

    private static final long STOP_MILLIS = 2_000;

    private final int threads;
    private volatile XnioWorker worker;
    private volatile ExecutorService virtualThreads;

    @Inject
    IoThreads(McpgwConfig config) {
        this(config.server().ioThreads());
    }

    public IoThreads(int threads) {
        this.threads = threads;
    }

    @Override
    public String name() {
        return "I/O threads";
    }

    @Override
    public synchronized void start() {
        if (worker != null) {
            return;
        }
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorkerBuilder()
                .populateFromOptions(OptionMap.EMPTY)
                .setWorkerName("mcpgw-io")
                .setWorkerIoThreads(threads)
                .setExternalExecutorService(virtualThreads)
                .build();
    }

    public XnioWorker worker() {
        XnioWorker started = worker;
        if (started == null) {
            throw new IllegalStateException("I/O threads not started");
        }
        return started;
    }

    /** Where work that may block runs: a new virtual thread per task. */
    public ExecutorService virtualThreads() {
        worker();
        return virtualThreads;
    }

    /** The I/O thread to use from here: this one when on one of the worker's, else the next in turn. */
    public XnioIoThread thread() {
        XnioIoThread current = XnioIoThread.currentThread();
        return current != null && current.getWorker() == worker() ? current : worker().getIoThread();
    }

    /** Whether the caller runs on an I/O thread, where nothing may block. */
    public static boolean onIoThread() {
        return XnioIoThread.currentThread() != null;
    }

    @Override
    public void stop() throws InterruptedException {
        XnioWorker started = worker;
        if (started == null) {
            return;
        }
        started.shutdown();
        started.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS);
        virtualThreads.shutdown();
        if (!virtualThreads.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
            virtualThreads.shutdownNow();
        }
    }
}
