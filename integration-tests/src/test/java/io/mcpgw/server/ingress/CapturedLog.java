package io.mcpgw.server.ingress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything the gateway in this JVM logs at {@code level} or above (every logger, Undertow's too), as lines with the
 * stack trace of a logged throwable; for tests that assert what an operator reads. Closing stops the capture and
 * restores the root level.
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerConfig root;
    private final Level previous;

    private CapturedLog(Level level) {
        super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        root = configuration.getRootLogger();
        previous = root.getLevel();
        start();
        root.addAppender(this, level, null);
        if (previous.isMoreSpecificThan(level)) {
            root.setLevel(level);
        }
        context.updateLoggers();
    }

    public static CapturedLog from(Level level) {
        return new CapturedLog(level);
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                + event.getMessage().getFormattedMessage());
        for (Throwable thrown = event.getThrown(); thrown != null; thrown = thrown.getCause()) {
            line.append("\n").append(thrown);
            for (StackTraceElement frame : thrown.getStackTrace()) {
                line.append("\n\tat ").append(frame);
            }
        }
        lines.add(line.toString());
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** All captured lines as one text. */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        root.removeAppender(getName());
        root.setLevel(previous);
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
