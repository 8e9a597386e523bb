package io.mcpgw.server.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Matches URIs against an RFC 6570 template, enough to route reads: {@code {var}} is one segment, {@code {+var}} anything. */
final class UriTemplate {

    private static final Pattern EXPRESSION = Pattern.compile("\\{([+#./;?&]?)[^}]*}");

    private final Pattern pattern;

    UriTemplate(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher matcher = EXPRESSION.matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())));
            regex.append(switch (matcher.group(1)) {
                case "+", "#" -> ".*";
                case "?", "&" -> "(?:[?&].*)?";
                default -> "[^/?#]*";
            });
            last = matcher.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        this.pattern = Pattern.compile(regex.toString());
    }

    boolean matches(String uri) {
        return pattern.matcher(uri).matches();
    }
}
