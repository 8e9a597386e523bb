package io.mcpgw.server.transport.stdio;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Signals a whole process group ({@code kill -s SIG -- -pgid}); the JDK can only signal single processes. */
final class ProcessGroups {

    private static final long WAIT_MILLIS = 2000;

    private ProcessGroups() {}

    /** Sends {@code signal} (e.g. {@code TERM}) to the group {@code pgid} leads; false when it could not be sent. */
    static boolean signal(long pgid, String signal) {
        try {
            return new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
