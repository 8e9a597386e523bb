package com.example.mcpgw;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.policy.Decision;
import io.mcpgw.spi.policy.PolicyEvaluator;
import io.mcpgw.spi.policy.PolicyEvaluatorFactory;
import io.mcpgw.spi.policy.PolicyInput;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * {@code policy: [{type: business-hours, deny: "github__delete_*", from: "09:00", to: "17:00", zone: Europe/Paris}]}:
 * denies the tools whose namespaced name matches {@code deny} between {@code from} and {@code to}, and allows
 * everything else.
 */
@Extension
public class BusinessHoursPolicyFactory implements PolicyEvaluatorFactory {

    /**
     * The section's keys; the gateway binds them strictly (a typo is a start-up error naming the key).
     *
     * @param deny a tool name pattern, {@code *} matching any characters
     * @param from the start of the window, e.g. {@code 09:00}
     * @param to the end of the window (exclusive), e.g. {@code 17:00}
     * @param zone the time zone of {@code from} and {@code to}; default UTC
     */
    public record Settings(String deny, String from, String to, String zone) {
        public Settings {
            if (deny == null || from == null || to == null) {
                throw new IllegalArgumentException("deny, from and to are required, e.g. deny: \"github__delete_*\", from: \"09:00\", to: \"17:00\"");
            }
            zone = zone == null ? "UTC" : zone;
        }
    }

    @Override
    public String name() {
        return "business-hours";
    }

    @Override
    public PolicyEvaluator create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        Pattern denied = Pattern.compile(Pattern.quote(settings.deny()).replace("*", "\\E.*\\Q"));
        LocalTime from = LocalTime.parse(settings.from());
        LocalTime to = LocalTime.parse(settings.to());
        ZoneId zone = ZoneId.of(settings.zone());
        Clock clock = context.clock();
        return new PolicyEvaluator() {
            @Override
            public Decision evaluate(PolicyInput input) {
                LocalTime now = ZonedDateTime.now(clock.withZone(zone)).toLocalTime();
                boolean inWindow = !now.isBefore(from) && now.isBefore(to);
                if (inWindow && denied.matcher(input.namespacedTarget()).matches()) {
                    return new Decision.Deny("business-hours", input.namespacedTarget() + " is not allowed between " + from + " and "
                            + to + " (" + zone + ")");
                }
                return Decision.allow();
            }

            /** It reads only the clock and its settings: the gateway may run it on the I/O thread, with no thread hop. */
            @Override
            public boolean neverBlocks() {
                return true;
            }
        };
    }
}
