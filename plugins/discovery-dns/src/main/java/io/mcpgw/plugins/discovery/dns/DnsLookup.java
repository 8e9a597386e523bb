package io.mcpgw.plugins.discovery.dns;

import io.mcpgw.spi.discovery.PeerAddress;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** One kind of lookup, answering the peers it found, or throwing when the DNS could not answer. */
interface DnsLookup {

    /** De-duplicated and sorted. */
    SortedSet<PeerAddress> peers() throws DnsUnavailableException;

    /** What the lookup asks, for logs. */
    String describe();

    final class DnsUnavailableException extends Exception {
        DnsUnavailableException(String message) {
            super(message);
        }
    }

    static DnsLookup srv(Resolver resolver, String name) {
        Name query = parse(name);
        return new DnsLookup() {
            @Override
            public SortedSet<PeerAddress> peers() throws DnsUnavailableException {
                SortedSet<PeerAddress> peers = new TreeSet<>();
                for (Record record : run(resolver, query, Type.SRV)) {
                    if (record instanceof SRVRecord srv) {
                        peers.add(new PeerAddress(hostOf(srv.getTarget()), srv.getPort()));
                    }
                }
                return peers;
            }

            @Override
            public String describe() {
                return "SRV " + query;
            }
        };
    }

    static DnsLookup addresses(Resolver resolver, String name, int port) {
        Name query = parse(name.endsWith(".") ? name : name + ".");
        return new DnsLookup() {
            @Override
            public SortedSet<PeerAddress> peers() throws DnsUnavailableException {
                SortedSet<PeerAddress> peers = new TreeSet<>();
                for (int type : new int[] {Type.A, Type.AAAA}) {
                    for (Record record : run(resolver, query, type)) {
                        if (record instanceof ARecord a) {
                            peers.add(new PeerAddress(a.getAddress().getHostAddress(), port));
                        } else if (record instanceof AAAARecord aaaa) {
                            peers.add(new PeerAddress(aaaa.getAddress().getHostAddress(), port));
                        }
                    }
                }
                return peers;
            }

            @Override
            public String describe() {
                return "A/AAAA " + query + " port " + port;
            }
        };
    }

    /**
     * The records of one question. A name or type with no records is an answer (no peers); a server that fails
     * or does not answer is not.
     */
    private static List<Record> run(Resolver resolver, Name name, int type) throws DnsUnavailableException {
        Lookup lookup = new Lookup(name, type);
        lookup.setResolver(resolver);
        lookup.setCache(null);
        lookup.setSearchPath((Name[]) null);
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> List.of(records);
            case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> List.of();
            default -> throw new DnsUnavailableException(Type.string(type) + " " + name + ": " + lookup.getErrorString());
        };
    }

    private static String hostOf(Name target) {
        String host = target.toString(true);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    private static Name parse(String name) {
        try {
            return Name.fromString(name);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }
}
