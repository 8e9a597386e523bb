package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.cluster.NodeDirectory;
import io.mcpgw.server.http.HttpProblem;
import java.util.Optional;

/** {@code GET /admin/cluster}: the cluster's members, this one first; 404 for a gateway without a {@code cluster:} section. */
@Singleton
final class ClusterResource implements AdminResource {

    private final Optional<NodeDirectory> cluster;

    @Inject
    ClusterResource(Optional<NodeDirectory> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void register(AdminRoutes routes) {
        routes.get("/admin/cluster", request -> {
            NodeDirectory nodes = cluster.orElseThrow(() -> HttpProblem.notFound("this gateway is not in a cluster (no cluster: section)"));
            request.json(200, AdminViews.cluster(nodes.clusterName(), nodes.nodes()));
        });
    }
}
