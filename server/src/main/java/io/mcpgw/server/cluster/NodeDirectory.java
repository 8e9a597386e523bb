package io.mcpgw.server.cluster;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import io.mcpgw.server.ingress.HttpServer;
import io.mcpgw.server.lifecycle.ManagedService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Which member serves MCP where: each node publishes its client listener's address in the cluster map
 * {@value #MAP}, sealed, once that listener is open, and takes it back when it stops; the entry of a member that
 * left without saying so is removed by the members that saw it go.
 */
@Singleton
public final class NodeDirectory implements ManagedService {

    private static final Logger LOG = LogManager.getLogger(NodeDirectory.class);
    static final String MAP = "mcpgw.nodes";
    private static final String PURPOSE = "node-address";

    private final ClusterMember member;
    private final HttpServer listener;
    private volatile UUID listening;
    private volatile UUID entries;
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    @Inject
    NodeDirectory(ClusterMember member, HttpServer listener) {
        this.member = member;
        this.listener = listener;
    }

    @Override
    public String name() {
        return "cluster node directory";
    }

    @Override
    public void start() {
        IMap<String, byte[]> nodes = published();
        listening = member.instance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info("Cluster: member {} at {} joined; {} members", event.getMember().getUuid(), event.getMember().getSocketAddress(),
                        event.getMembers().size());
                changed();
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                LOG.info("Cluster: member {} at {} left; {} members", event.getMember().getUuid(), event.getMember().getSocketAddress(),
                        event.getMembers().size());
                nodes.delete(event.getMember().getUuid().toString());
                changed();
            }
        });
        entries = nodes.addEntryListener((EntryAddedListener<String, byte[]>) this::published, true);
        nodes.set(member.id().toString(), member.seal().seal(PURPOSE, listener.baseUri().toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The members, this one first, then by member address. */
    public List<ClusterNode> nodes() {
        IMap<String, byte[]> published = published();
        UUID self = member.id();
        List<ClusterNode> all = new ArrayList<>();
        for (Member each : member.instance().getCluster().getMembers()) {
            byte[] sealed = published.get(each.getUuid().toString());
            Optional<String> address = sealed == null ? Optional.empty()
                    : member.seal().open(PURPOSE, sealed).map(plain -> new String(plain, StandardCharsets.UTF_8));
            String state = sealed == null ? "joining" : address.isPresent() ? "serving" : "unverified";
            all.add(new ClusterNode(each.getUuid(), each.getSocketAddress().getHostString() + ":" + each.getSocketAddress().getPort(),
                    address, state, each.getUuid().equals(self)));
        }
        all.sort((one, other) -> one.self() != other.self() ? (one.self() ? -1 : 1) : one.memberAddress().compareTo(other.memberAddress()));
        return all;
    }

    public String clusterName() {
        return member.config().name();
    }

    /** Runs {@code watcher} whenever a member joins, leaves or publishes where it serves. */
    public void onChange(Runnable watcher) {
        watchers.add(watcher);
    }

    private void changed() {
        watchers.forEach(Runnable::run);
    }

    /** Says when what a member published does not open here: that member has another cluster key. */
    private void published(EntryEvent<String, byte[]> event) {
        changed();
        if (member.seal().open(PURPOSE, event.getValue()).isEmpty()) {
            LOG.error("Cluster: member {} at {} is not sealed with this cluster's key (cluster.key differs); it can read and change "
                    + "nothing here", event.getKey(), event.getMember().getSocketAddress());
        }
    }

    private IMap<String, byte[]> published() {
        return member.instance().getMap(MAP);
    }

    @Override
    public void stop() {
        UUID registration = listening;
        if (registration != null) {
            member.instance().getCluster().removeMembershipListener(registration);
            published().removeEntryListener(entries);
            published().delete(member.id().toString());
            listening = null;
        }
    }
}
