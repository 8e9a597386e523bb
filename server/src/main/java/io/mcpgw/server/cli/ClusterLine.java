package io.mcpgw.server.cli;

import io.mcpgw.server.cluster.ClusterNode;
import java.util.List;
import java.util.stream.Collectors;

/** The cluster in the one line {@code mcpgw status} prints: its name, then each member, this one first. */
final class ClusterLine {

    private ClusterLine() {}

    static String of(String name, List<ClusterNode> nodes) {
        return "cluster '" + name + "': " + nodes.size() + (nodes.size() == 1 ? " member: " : " members: ")
                + nodes.stream().map(ClusterLine::member).collect(Collectors.joining(", "));
    }

    private static String member(ClusterNode node) {
        return node.memberAddress() + " (" + (node.self() ? "this one, " : "") + node.state()
                + node.mcpAddress().map(address -> " at " + address).orElse("") + ")";
    }
}
