package io.mcpgw.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Turns Jackson's binding errors into one line an operator can act on. */
final class ConfigErrors {

    /** Validation messages of the form {@code key: problem} are reported at that key. */
    private static final Pattern KEY_MESSAGE = Pattern.compile("([A-Za-z][A-Za-z0-9_]*(?:\\[\\d+])?): (.+)", Pattern.DOTALL);

    private static final Pattern QUOTED_VALUE = Pattern.compile("from String value \\('([^']*)'\\)");

    private ConfigErrors() {}

    static ConfigException translate(String source, String basePath, JsonProcessingException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException configException) {
                return configException;
            }
        }
        if (error instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return ConfigException.at(source, ConfigPaths.of(basePath, unknown),
                    "unknown key '" + unknown.getPropertyName() + "'" + knownKeys(unknown.getPropertyName(), known));
        }
        if (error instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            return atKeyOf(source, ConfigPaths.of(basePath, instantiation), instantiation.getCause().getMessage());
        }
        if (error instanceof InvalidFormatException invalid) {
            return ConfigException.at(source, ConfigPaths.of(basePath, invalid),
                    "expected " + expected(invalid.getTargetType()) + ", got '" + invalid.getValue() + "'");
        }
        if (error instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return ConfigException.at(source, ConfigPaths.of(basePath, mismatch),
                    "expected " + expected(mismatch.getTargetType()) + got(mismatch));
        }
        if (error instanceof JsonMappingException mapping) {
            return ConfigException.at(source, ConfigPaths.of(basePath, mapping), mapping.getOriginalMessage());
        }
        JsonLocation location = error.getLocation();
        String where = location == null ? source : source + ":" + location.getLineNr() + ":" + location.getColumnNr();
        return new ConfigException(where + ": " + error.getOriginalMessage());
    }

    /** Reports {@code "id: must match ..."} thrown while building the object at {@code path} at {@code path.id}. */
    static ConfigException atKeyOf(String source, String path, String message) {
        Matcher matcher = KEY_MESSAGE.matcher(message == null ? "invalid value" : message);
        if (matcher.matches()) {
            return ConfigException.at(source, ConfigPaths.child(path, matcher.group(1)), matcher.group(2));
        }
        return ConfigException.at(source, path, message == null ? "invalid value" : message);
    }

    static String knownKeys(String wrong, Collection<String> known) {
        String suggestion = Suggestions.didYouMean(wrong, known);
        if (!suggestion.isEmpty()) {
            return suggestion;
        }
        return known.isEmpty() ? "" : "; known keys: " + String.join(", ", known);
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == Duration.class) {
            return Durations.EXPECTED;
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping (key: value)";
        }
        return "a section (key: value lines)";
    }

    /** What was found instead, from the token Jackson names in its message. */
    private static String got(MismatchedInputException mismatch) {
        String message = mismatch.getOriginalMessage();
        if (message.contains(JsonToken.START_ARRAY.name())) {
            return ", got a list";
        }
        if (message.contains(JsonToken.START_OBJECT.name())) {
            return ", got a section";
        }
        if (message.contains(JsonToken.VALUE_NULL.name())) {
            return ", got nothing";
        }
        Matcher quoted = QUOTED_VALUE.matcher(message);
        return quoted.find() ? ", got '" + quoted.group(1) + "'" : "";
    }
}
