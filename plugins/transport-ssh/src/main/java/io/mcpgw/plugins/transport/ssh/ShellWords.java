package io.mcpgw.plugins.transport.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A command list as the one line SSH runs through the remote user's shell, each word quoted as it was given. */
final class ShellWords {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

    private ShellWords() {}

    static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
