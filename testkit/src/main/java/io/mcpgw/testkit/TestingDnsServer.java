package io.mcpgw.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An authoritative DNS server on UDP 127.0.0.1 for tests, speaking the DNS wire format (dnsjava's messages): it
 * answers from the records the test put in its zone, NXDOMAIN for a name it has none for, and can be told to answer
 * SERVFAIL or to stay silent. It counts the questions it was asked.
 */
public final class TestingDnsServer implements AutoCloseable {

    public enum Mode { ANSWER, SERVFAIL, SILENT }

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final AtomicInteger questions = new AtomicInteger();
    private final Thread serving;
    private volatile Mode mode = Mode.ANSWER;

    public TestingDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        serving = Thread.ofVirtual().name("testing-dns").start(this::serve);
    }

    /** {@code host:port} to configure as the resolver. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** Replaces the records of {@code name}'s owner names with these. */
    public void set(Name name, List<Record> records) {
        zone.put(name, List.copyOf(records));
    }

    public void mode(Mode next) {
        mode = next;
    }

    public int questions() {
        return questions.get();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                questions.incrementAndGet();
                if (mode == Mode.SILENT) {
                    continue;
                }
                byte[] answer = answer(query).toWire();
                socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private Message answer(Message query) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        Record question = query.getQuestion();
        response.addRecord(question, Section.QUESTION);
        if (mode == Mode.SERVFAIL) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        List<Record> records = zone.get(question.getName());
        if (records == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response;
        }
        records.stream().filter(record -> record.getType() == question.getType())
                .forEach(record -> response.addRecord(record, Section.ANSWER));
        return response;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        serving.join();
    }
}
