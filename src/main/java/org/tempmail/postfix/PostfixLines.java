package org.tempmail.postfix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tempmail.config.Config;
import org.tempmail.config.LmtpSettings;
import org.tempmail.config.SocketType;
import org.tempmail.config.SocketmapSettings;

/**
 * The main.cf and master.cf lines that connect Postfix to tempmail, for one configuration: the same lines as
 * main.cf.example and master.cf.example, with this configuration's socket, map names, transport and paths.
 */
public final class PostfixLines {
    /** Where Postfix chroots its daemons and where their working directory is, on Debian and most systems. */
    public static final Path DEFAULT_QUEUE_DIRECTORY = Path.of("/var/spool/postfix");

    private final Config config;
    private final Installation installation;
    /** DOMAIN, then the owners' own domains. */
    private final List<String> domains;

    /**
     * How tempmail is installed: the launcher pipe(8) runs, the tempmail.cf it reads, the pipe's user, and
     * Postfix's queue directory.
     */
    public record Installation(Path launcher, Path configFile, String user, Path queueDirectory) {
    }

    public PostfixLines(Config config, Installation installation) {
        this(config, installation, List.of());
    }

    /** {@code ownerDomains}: the domains of owners' addresses besides DOMAIN, routed to tempmail alike. */
    public PostfixLines(Config config, Installation installation, List<String> ownerDomains) {
        this.config = config;
        this.installation = installation;
        List<String> all = new ArrayList<>(List.of(config.addresses().domain()));
        ownerDomains.stream().filter(d -> !d.equalsIgnoreCase(config.addresses().domain())).distinct().sorted()
                .forEach(all::add);
        this.domains = List.copyOf(all);
    }

    /** The name of the master.cf service: TRANSPORT up to its first colon. */
    public String transportService() {
        String transport = config.socketmap().transport();
        int colon = transport.indexOf(':');
        return colon < 0 ? transport : transport.substring(0, colon);
    }

    /** Whether TRANSPORT hands mail to serve's LMTP listener (lmtp:unix:tempmail/lmtp) instead of the pipe. */
    public boolean lmtpDelivery() {
        return config.socketmap().transport().startsWith("lmtp:");
    }

    /** The TRANSPORT that reaches LMTP_LISTEN, as Postfix's lmtp(8) names it: unix paths relative to the queue. */
    public String lmtpTransport() {
        LmtpSettings lmtp = config.lmtp();
        if (lmtp.socketType() == SocketType.INET) {
            String host = isWildcard(lmtp.inetInterface()) ? "127.0.0.1" : lmtp.inetInterface();
            return "lmtp:inet:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + lmtp.inetPort();
        }
        return "lmtp:unix:" + relativeToQueue(lmtp.unixSocketPath()).map(Path::toString)
                .orElse(lmtp.unixSocketPath().toString());
    }

    /** The socketmap table for one map name, as Postfix daemons name it in main.cf. */
    public String table(String mapName) {
        return "socketmap:" + endpoint(socketName()) + ":" + mapName;
    }

    /** The same table as a person at a shell names it, for postmap -q. */
    public String tableFromShell(String mapName) {
        SocketmapSettings socketmap = config.socketmap();
        String name = socketmap.socketType() == SocketType.UNIX
                ? socketmap.unixSocketPath().toAbsolutePath().toString() : socketName();
        return "socketmap:" + endpoint(name) + ":" + mapName;
    }

    /**
     * Setup 1: relay class, recipient validation at RCPT TO, the pipe transport. The transport map is a fixed
     * table of the domain, not the socketmap: trivial-rewrite asks transport_maps about every recipient of every
     * domain and refuses the regexp substitution a filter in front of the socketmap would need, so a socketmap
     * there makes a stopped server stop all mail. Invalid addresses are rejected at RCPT TO anyway, and deliver
     * judges every address again.
     */
    public List<String> relaySetup() {
        SocketmapSettings socketmap = config.socketmap();
        List<String> routes = domains.stream().map(domain -> domain + "=" + socketmap.transport()).toList();
        return List.of(
                "relay_domains = " + String.join(", ", domains),
                "relay_recipient_maps = " + ownDomainOnly(table(socketmap.recipientMapName())),
                "transport_maps = inline:{ " + String.join(", ", routes) + " }",
                lmtpDelivery()
                        // lmtp(8) breaks lines longer than this with CRLF SPACE; the pipe never does.
                        ? "lmtp_line_length_limit = 0"
                        : transportService() + "_destination_recipient_limit = 1");
    }

    /** Setup 2: postfix-tempmail's virtual alias class, no pipe. */
    public List<String> virtualAliasSetup() {
        return List.of(
                "virtual_alias_domains = " + String.join(", ", domains),
                "virtual_alias_maps = " + ownDomainOnly(table(config.socketmap().aliasMapName())));
    }

    /**
     * The table behind a filter that passes only full addresses of DOMAIN, in any case: smtpd and cleanup ask
     * these maps about recipients of every domain, and the filter keeps a stopped server from delaying their
     * mail. pipemap stops at the filter's "not found"; the filter's result, the address itself, is the key the
     * socketmap gets. Written for main.cf, where a literal $ is $$.
     */
    private String ownDomainOnly(String table) {
        List<String> quoted = domains.stream().map(PostfixLines::regexpQuoted).toList();
        String alternatives = quoted.size() == 1 ? quoted.get(0) : "(" + String.join("|", quoted) + ")";
        String filter = "/^(.+@" + alternatives + ")$/ ${1}";
        return "pipemap:{regexp:{{" + filter.replace("$", "$$") + "}}, " + table + "}";
    }

    private static String regexpQuoted(String text) {
        return text.replaceAll("[\\\\.\\[\\]{}()*+?^$|]", "\\\\$0");
    }

    /**
     * The master.cf entry that runs tempmail deliver. For LMTP none (Postfix's own lmtp service delivers), or,
     * with LMTP_REINJECT, the reinjection smtpd the server resubmits to, as Postfix's FILTER_README has it: only
     * loopback clients, no content filter, no second round of header checks or milters.
     */
    public List<String> masterEntry() {
        if (lmtpDelivery()) {
            LmtpSettings lmtp = config.lmtp();
            if (lmtp.reinjectHost().isEmpty()) {
                return List.of();
            }
            return List.of(
                    lmtp.reinjectHost().get() + ":" + lmtp.reinjectPort() + " inet n - n - - smtpd",
                    "  -o content_filter=",
                    "  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters",
                    "  -o smtpd_client_restrictions=",
                    "  -o smtpd_helo_restrictions=",
                    "  -o smtpd_sender_restrictions=",
                    "  -o smtpd_relay_restrictions=permit_mynetworks,reject",
                    "  -o smtpd_recipient_restrictions=permit_mynetworks,reject",
                    "  -o mynetworks=127.0.0.0/8");
        }
        return List.of(
                String.format("%-9s unix  -       n       n       -       -       pipe", transportService()),
                "  flags=DRq user=" + installation.user() + " null_sender=",
                "  argv=" + installation.launcher() + " --config " + installation.configFile()
                        + " deliver --sender=${sender} --recipient=${recipient} --queue-id=${queue_id}");
    }

    /** Problems an administrator must fix before these lines can work; empty when there are none. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        SocketmapSettings socketmap = config.socketmap();
        if (socketmap.socketType() == SocketType.UNIX && relativeToQueue().isEmpty()) {
            warnings.add("SOCKETMAP_UNIX_SOCKET_PATH " + socketmap.unixSocketPath() + " is outside Postfix's queue "
                    + "directory " + installation.queueDirectory() + ": chrooted Postfix daemons (Debian's default "
                    + "for smtpd, cleanup and trivial-rewrite) cannot reach it. Move it under the queue "
                    + "directory, or use SOCKETMAP_SOCKET_TYPE=inet.");
        }
        if (lmtpDelivery() && !config.lmtp().enabled()) {
            warnings.add("TRANSPORT " + socketmap.transport() + " hands mail to LMTP, but LMTP_LISTEN is not set: "
                    + "every message would be deferred. Set LMTP_LISTEN=unix:" + LmtpSettings.DEFAULT_UNIX_SOCKET
                    + ", or TRANSPORT=tempmail: for the pipe.");
        } else if (lmtpDelivery() && !socketmap.transport().equals(lmtpTransport())) {
            warnings.add("TRANSPORT " + socketmap.transport() + " is not where LMTP_LISTEN " + config.lmtp().address()
                    + " listens: set TRANSPORT=" + lmtpTransport() + ".");
        }
        if (lmtpDelivery() && config.lmtp().socketType() == SocketType.UNIX
                && relativeToQueue(config.lmtp().unixSocketPath()).isEmpty()) {
            warnings.add("LMTP_LISTEN " + config.lmtp().address() + " is outside Postfix's queue directory "
                    + installation.queueDirectory() + ": a chrooted lmtp(8) cannot reach it. Move it under the "
                    + "queue directory.");
        }
        if (socketmap.socketType() == SocketType.INET && isWildcard(socketmap.inetInterface())) {
            warnings.add("SOCKETMAP_INET_INTERFACE " + socketmap.inetInterface() + " listens on every interface: "
                    + "anyone who reaches the port can test addresses. Use 127.0.0.1.");
        }
        return warnings;
    }

    private String socketName() {
        SocketmapSettings socketmap = config.socketmap();
        if (socketmap.socketType() == SocketType.UNIX) {
            return relativeToQueue().map(Path::toString).orElse(socketmap.unixSocketPath().toString());
        }
        String host = isWildcard(socketmap.inetInterface()) ? "127.0.0.1" : socketmap.inetInterface();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + socketmap.inetPort();
    }

    private String endpoint(String name) {
        return (config.socketmap().socketType() == SocketType.UNIX ? "unix:" : "inet:") + name;
    }

    /**
     * The socket path relative to the queue directory. Postfix daemons work in the queue directory, chrooted
     * there or not, so a relative name reaches the socket in both cases; "/tempmail/socketmap" would only work
     * inside the chroot.
     */
    private Optional<Path> relativeToQueue() {
        return relativeToQueue(config.socketmap().unixSocketPath());
    }

    private Optional<Path> relativeToQueue(Path path) {
        Path socket = path.toAbsolutePath().normalize();
        Path queue = installation.queueDirectory().toAbsolutePath().normalize();
        if (!socket.startsWith(queue) || socket.equals(queue)) {
            return Optional.empty();
        }
        return Optional.of(queue.relativize(socket));
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*");
    }
}
