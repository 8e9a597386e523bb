package io.mcpgw.server.plugin;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The JDK's {@link System.Logger}, which extensions get, writing to the gateway's Log4j configuration. */
final class Log4jSystemLogger implements System.Logger {

    private final Logger logger;

    Log4jSystemLogger(String name) {
        this.logger = LogManager.getLogger(name);
    }

    @Override
    public String getName() {
        return logger.getName();
    }

    @Override
    public boolean isLoggable(System.Logger.Level level) {
        return logger.isEnabled(toLog4j(level));
    }

    @Override
    public void log(System.Logger.Level level, ResourceBundle bundle, String message, Throwable thrown) {
        logger.log(toLog4j(level), localized(bundle, message), thrown);
    }

    @Override
    public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
        org.apache.logging.log4j.Level log4jLevel = toLog4j(level);
        if (logger.isEnabled(log4jLevel)) {
            String pattern = localized(bundle, format);
            logger.log(log4jLevel, params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params));
        }
    }

    @Override
    public void log(System.Logger.Level level, Supplier<String> message) {
        logger.log(toLog4j(level), message);
    }

    private static String localized(ResourceBundle bundle, String key) {
        return bundle != null && key != null && bundle.containsKey(key) ? bundle.getString(key) : key;
    }

    /** Written out in full: inside a System.Logger, {@code Level} means System.Logger.Level. */
    private static org.apache.logging.log4j.Level toLog4j(System.Logger.Level level) {
        return switch (level) {
            case ALL -> org.apache.logging.log4j.Level.ALL;
            case TRACE -> org.apache.logging.log4j.Level.TRACE;
            case DEBUG -> org.apache.logging.log4j.Level.DEBUG;
            case INFO -> org.apache.logging.log4j.Level.INFO;
            case WARNING -> org.apache.logging.log4j.Level.WARN;
            case ERROR -> org.apache.logging.log4j.Level.ERROR;
            case OFF -> org.apache.logging.log4j.Level.OFF;
        };
    }
}
