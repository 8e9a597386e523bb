package io.mcpgw.server.cluster;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.discovery.DiscoveryProvider;
import io.mcpgw.spi.discovery.DiscoveryProviderFactory;
import io.mcpgw.spi.discovery.PeerAddress;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code discovery: {type: static, members: ["10.0.0.1:5701", ...]}}: the peers as written. */
public final class StaticDiscoveryFactory implements DiscoveryProviderFactory {

    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})");

    /** @param members {@code host:port} of each member ({@code [v6]:port} for an IPv6 address); none makes a cluster of one until others find it */
    record Settings(List<String> members) {
        Settings {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public DiscoveryProvider create(ExtensionContext context) {
        Settings settings = context.config().bind(Settings.class);
        TreeSet<PeerAddress> peers = new TreeSet<>();
        for (int i = 0; i < settings.members().size(); i++) {
            peers.add(parse(settings.members().get(i), i));
        }
        List<PeerAddress> known = List.copyOf(peers);
        return () -> known;
    }

    private static PeerAddress parse(String member, int index) {
        Matcher parts = HOST_PORT.matcher(member == null ? "" : member);
        try {
            if (parts.matches()) {
                return new PeerAddress(parts.group(1) != null ? parts.group(1) : parts.group(2), Integer.parseInt(parts.group(3)));
            }
        } catch (IllegalArgumentException outOfRange) {
            // said below, as for any other malformed member
        }
        throw new IllegalArgumentException("members[" + index + "]: '" + member + "' is not host:port ([v6]:port for IPv6, port 1 to 65535)");
    }
}
