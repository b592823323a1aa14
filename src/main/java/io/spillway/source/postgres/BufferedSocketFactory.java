package io.spillway.source.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;

/**
 * Sockets whose input is a {@link CopyTap}: read from the kernel 256 KiB at a time (the driver
 * reads its socket through a fixed 8 KiB buffer, a system call and often a wake-up per 8 KiB of a
 * large COPY), and able to take a COPY's rows out of the stream. The driver takes this factory
 * through its {@code socketFactory} connection property and passes it the connection's properties;
 * {@link #watch} marks them so that {@link #tapOf} finds the tap of the connection they opened.
 */
public final class BufferedSocketFactory extends SocketFactory {
    static final int BUFFER = 256 * 1024;
    static final String PROPERTY = "spillwayTap";
    private static final Map<String, AtomicReference<CopyTap>> WATCHED = new ConcurrentHashMap<>();

    private final String id;

    public BufferedSocketFactory(Properties info) {
        this.id = info.getProperty(PROPERTY);
    }

    /** Marks connection properties so that the tap of the socket they connect is kept for {@link #tapOf}. */
    static String watch(Properties info) {
        String id = UUID.randomUUID().toString();
        WATCHED.put(id, new AtomicReference<>());
        info.setProperty(PROPERTY, id);
        return id;
    }

    /** The tap of the last socket made for the watched properties, once: later sockets (cancel requests) are not kept. */
    static Optional<CopyTap> tapOf(String id) {
        AtomicReference<CopyTap> tap = WATCHED.remove(id);
        return Optional.ofNullable(tap == null ? null : tap.get());
    }

    @Override
    public Socket createSocket() {
        return new TappedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = new TappedSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    /** A socket that hands out one tapped input stream, however often it is asked. */
    private final class TappedSocket extends Socket {
        private CopyTap in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new CopyTap(super.getInputStream(), BUFFER);
                AtomicReference<CopyTap> watcher = id == null ? null : WATCHED.get(id);
                if (watcher != null) {
                    watcher.set(in);
                }
            }
            return in;
        }
    }
}
