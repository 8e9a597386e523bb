package io.mcpgw.server.catalog;

import java.util.List;
import java.util.regex.Pattern;

/** Name patterns as configuration writes them: {@code *} is any run of characters, everything else is literal. */
public final class Globs {

    private Globs() {}

    public static List<Pattern> compile(List<String> globs) {
        return globs.stream().map(glob -> Pattern.compile(("\\Q" + glob + "\\E").replace("*", "\\E.*\\Q"))).toList();
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
