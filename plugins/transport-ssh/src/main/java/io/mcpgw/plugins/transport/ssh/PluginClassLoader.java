package io.mcpgw.plugins.transport.ssh;

/**
 * Runs work with this plugin's class loader as the thread's context class loader. MINA SSHD loads its security
 * registrars and factories through the context class loader, which on the gateway's threads cannot see this
 * plugin's libraries (or sees other copies of them); the threads it starts meanwhile inherit the right one.
 */
final class PluginClassLoader {

    /** Work that may fail with an {@code E}. */
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private PluginClassLoader() {}

    static <T, E extends Exception> T run(Work<T, E> work) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(PluginClassLoader.class.getClassLoader());
        try {
            return work.run();
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
