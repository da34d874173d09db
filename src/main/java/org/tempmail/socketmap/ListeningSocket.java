package org.tempmail.socketmap;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.tempmail.config.SocketmapSettings;

/** The bound server socket: a unix-domain socket file (created and removed here) or a TCP port. */
public final class ListeningSocket implements AutoCloseable {
    private static final long ACCEPT_RETRY_MILLIS = 100;
    private static final int BACKLOG = 1024;
    private static final int FILE_TYPE_MASK = 0170000;
    private static final int SOCKET_FILE_TYPE = 0140000;

    private final ServerSocketChannel channel;
    private final String address;
    private final Optional<Path> socketFile;

    private ListeningSocket(ServerSocketChannel channel, String address, Optional<Path> socketFile) {
        this.channel = channel;
        this.address = address;
        this.socketFile = socketFile;
    }

    /** Listens where the settings say. */
    public static ListeningSocket open(SocketmapSettings settings) throws ServerStartException {
        return switch (settings.socketType()) {
            case INET -> inet(settings.inetInterface(), settings.inetPort());
            case UNIX -> unix(settings.unixSocketPath(), settings.unixSocketOwner(), settings.unixSocketGroup(),
                    settings.unixSocketMode());
        };
    }

    /** Listens on TCP; port 0 picks a free port. */
    public static ListeningSocket inet(String host, int port) throws ServerStartException {
        String wanted = "inet:" + host + ":" + port;
        InetSocketAddress socketAddress;
        try {
            socketAddress = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ServerStartException("cannot listen on " + wanted + ": unknown host " + host);
        }
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(socketAddress, BACKLOG);
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            return new ListeningSocket(channel, "inet:" + bound.getAddress().getHostAddress() + ":" + bound.getPort(),
                    Optional.empty());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ServerStartException("cannot listen on " + wanted + ": " + e.getMessage(), e);
        }
    }

    /**
     * Listens on a unix-domain socket. A socket file no server answers on is left over from a dead server and
     * replaced; one a server answers on is never taken over.
     */
    public static ListeningSocket unix(Path path, Optional<String> owner, Optional<String> group, int mode)
            throws ServerStartException {
        return unix(path, owner, group, mode, "SOCKETMAP_UNIX_SOCKET");
    }

    /** The same, an unknown owner or group named by the keys starting with {@code keyPrefix}, e.g. LMTP_UNIX_SOCKET. */
    public static ListeningSocket unix(Path path, Optional<String> owner, Optional<String> group, int mode,
            String keyPrefix) throws ServerStartException {
        String wanted = "unix:" + path;
        Path directory = path.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new ServerStartException("cannot listen on " + wanted + ": directory " + directory
                    + " does not exist");
        }
        removeStaleSocket(path);
        // Bound under a scratch name and renamed into place once owner and mode are set, so that no client
        // (a Postfix process as another user) ever finds the socket with the wrong permissions.
        Path scratch = path.resolveSibling(path.getFileName() + ".new");
        ServerSocketChannel channel = null;
        try {
            Files.deleteIfExists(scratch);
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(scratch), BACKLOG);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ServerStartException("cannot listen on " + wanted + ": " + e.getMessage(), e);
        }
        try {
            setOwnership(scratch, owner, group, mode, keyPrefix);
            Files.move(scratch, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            new ListeningSocket(channel, wanted, Optional.of(scratch)).close();
            throw new ServerStartException("cannot listen on " + wanted + ": cannot move the socket into place: "
                    + e.getMessage(), e);
        } catch (ServerStartException e) {
            new ListeningSocket(channel, wanted, Optional.of(scratch)).close();
            throw e;
        }
        return new ListeningSocket(channel, wanted, Optional.of(path));
    }

    /**
     * The next connection; empty once the socket is closed or the thread interrupted while it waits. An accept
     * that fails otherwise (typically out of file descriptors) is logged, prefixed, and tried again after a
     * pause instead of spinning.
     */
    public Optional<SocketChannel> acceptNext(Consumer<String> log, String logPrefix) {
        while (true) {
            try {
                return Optional.of(channel.accept());
            } catch (ClosedChannelException e) {
                return Optional.empty();
            } catch (IOException e) {
                log.accept(logPrefix + "cannot accept a connection: " + e.getMessage());
                try {
                    Thread.sleep(ACCEPT_RETRY_MILLIS);
                } catch (InterruptedException stop) {
                    return Optional.empty();
                }
            }
        }
    }

    public ServerSocketChannel channel() {
        return channel;
    }

    /** Where the server listens, as Postfix names it after {@code socketmap:}, e.g. {@code inet:127.0.0.1:10000}. */
    public String address() {
        return address;
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        closeQuietly(channel);
        socketFile.ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Nothing else can be done at shutdown; the next start replaces a stale file.
            }
        });
    }

    private static void removeStaleSocket(Path path) throws ServerStartException {
        String wanted = "unix:" + path;
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            int fileMode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((fileMode & FILE_TYPE_MASK) != SOCKET_FILE_TYPE) {
                throw new ServerStartException("cannot listen on " + wanted + ": " + path
                        + " exists and is not a socket");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new ServerStartException("cannot listen on " + wanted + ": cannot inspect " + path + ": " + e, e);
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new ServerStartException("cannot listen on " + wanted + ": another server is listening there "
                    + "(stop it first)");
        } catch (ConnectException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException removal) {
                throw new ServerStartException("cannot listen on " + wanted + ": cannot remove the stale socket: "
                        + removal.getMessage(), removal);
            }
        } catch (IOException e) {
            throw new ServerStartException("cannot listen on " + wanted + ": cannot probe " + path + ": "
                    + e.getMessage(), e);
        }
    }

    private static void setOwnership(Path path, Optional<String> owner, Optional<String> group, int mode,
            String keyPrefix) throws ServerStartException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        try {
            if (owner.isPresent()) {
                UserPrincipal user = lookupUser(lookup, owner.get(), keyPrefix);
                view.setOwner(user);
            }
            if (group.isPresent()) {
                GroupPrincipal groupPrincipal = lookupGroup(lookup, group.get(), keyPrefix);
                view.setGroup(groupPrincipal);
            }
            view.setPermissions(permissions(mode));
        } catch (IOException e) {
            throw new ServerStartException("cannot set owner, group or mode of " + path + ": " + e, e);
        }
    }

    private static UserPrincipal lookupUser(UserPrincipalLookupService lookup, String name, String keyPrefix)
            throws ServerStartException {
        try {
            return lookup.lookupPrincipalByName(name);
        } catch (IOException e) {
            throw new ServerStartException(keyPrefix + "_OWNER_UID=" + name + ": no such user");
        }
    }

    private static GroupPrincipal lookupGroup(UserPrincipalLookupService lookup, String name, String keyPrefix)
            throws ServerStartException {
        try {
            return lookup.lookupPrincipalByGroupName(name);
        } catch (IOException e) {
            throw new ServerStartException(keyPrefix + "_OWNER_GID=" + name + ": no such group");
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(bits[bit]);
            }
        }
        return set;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing a socket we are giving up on; nothing to report.
        }
    }
}
