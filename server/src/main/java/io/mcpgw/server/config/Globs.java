package io.mcpgw.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Name patterns as configuration writes them: {@code *} is any run of characters (line breaks too), everything else is literal. */
public final class Globs {

    private Globs() {}

    public static List<Pattern> compile(List<String> globs) {
        return globs.stream().map(glob -> Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")), Pattern.DOTALL)).toList();
    }

    public static boolean matchesAny(List<Pattern> patterns, String text) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(text).matches()) {
                return true;
            }
        }
        return false;
    }
}
