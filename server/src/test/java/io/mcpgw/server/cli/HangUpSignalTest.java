package io.mcpgw.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM of its own, started with SIGHUP as it comes and as {@code nohup} leaves it, which sends itself a SIGHUP. */
class HangUpSignalTest {

    /** Installs the handler, says whether it took, sends the JVM a SIGHUP and says whether the action ran. */
    public static void main(String[] arguments) throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        boolean installed = HangUpSignal.onHangUp(() -> ran.add("reload"));
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (installed && ran.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("installed=" + installed + " ran=" + !ran.isEmpty());
    }

    private static String run(boolean underNohup) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (underNohup) {
            command.add("nohup");
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
                HangUpSignalTest.class.getName()));
        Path out = Files.createTempFile("hangup", ".out");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void aSighupRunsTheActionWhereTheJvmReceivesIt() throws Exception {
        assertThat(run(false)).contains("installed=true ran=true");
    }

    @Test
    void underNohupTheHandlerSaysItCannotBeReached() throws Exception {
        assertThat(run(true)).as("nohup leaves SIGHUP ignored, and the JVM keeps it so").contains("installed=false ran=false");
    }
}
