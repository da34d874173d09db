package org.tempmail.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.cli.CommandLine;
import org.tempmail.cli.command.Command;
import org.tempmail.cli.command.CommonOptions;
import org.tempmail.cli.command.ExitStatus;
import org.tempmail.cli.command.Invocation;
import org.tempmail.config.Config;
import org.tempmail.config.LmtpSettings;
import org.tempmail.config.SocketType;
import org.tempmail.config.SocketmapSettings;
import org.tempmail.handoff.DeliveryAdmission;
import org.tempmail.handoff.HandoffServer;
import org.tempmail.handoff.ServedConfig;
import org.tempmail.lmtp.server.LmtpServer;
import org.tempmail.lmtp.server.SessionLimits;
import org.tempmail.reload.LiveConfig;
import org.tempmail.socketmap.ListeningSocket;
import org.tempmail.socketmap.ServerStartException;
import org.tempmail.socketmap.SocketmapServer;
import org.tempmail.storage.StoreException;
import sun.misc.Signal;

/** Runs the socketmap server in the foreground until SIGTERM or SIGINT. */
final class ServeCommand implements Command {
    private static final String LOG_PREFIX = "tempmail serve: ";
    private static final int DELIVERY_SOCKET_MODE = 0600;
    private static final int MAX_DELIVERIES = 32;
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DELIVERY_MARGIN = Duration.ofSeconds(60);
    private static final Duration RETIRE_MARGIN = Duration.ofSeconds(60);
    private static final int LMTP_MAX_RECIPIENTS = 1000;
    private static final String LMTP_HOSTNAME = "localhost";

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "run the socketmap server Postfix asks at SMTP time (foreground, logs to stderr)";
    }

    @Override
    public String details() {
        return """
                 Listens where SOCKETMAP_SOCKET_TYPE says: a unix socket at SOCKETMAP_UNIX_SOCKET_PATH (owner,
                 group and mode from SOCKETMAP_UNIX_SOCKET_OWNER_UID, _GID and _MODE; a stale socket file is
                 replaced, a live server's socket is never taken over), or TCP on
                 SOCKETMAP_INET_INTERFACE:SOCKETMAP_INET_PORT. Runs in the foreground: start it before Postfix,
                 stop it with SIGTERM or SIGINT (exit 0, socket file removed).

                 Maps (socketmap:inet:HOST:PORT:NAME or socketmap:unix:PATH:NAME in main.cf), by key:
                   SOCKETMAP_NAME (tempmail)             valid: OK MAILDROP   (virtual_alias_maps)
                   SOCKETMAP_RCPT_NAME (rcpt)            valid: OK MAILDROP   (relay_recipient_maps)
                   SOCKETMAP_TRANSPORT_NAME (transport)  valid: OK TRANSPORT  (transport_maps)
                   SOCKETMAP_ACCESS_NAME (access)        valid: OK DUNNO, expired: OK REJECT ACCESS_EXPIRED_TEXT
                                                         (check_recipient_access)
                 Everything else is NOTFOUND; when the addresses cannot be checked, TEMP (Postfix defers).

                 With DELIVERY_SOCKET set, it also takes over deliveries from the deliver processes pipe(8)
                 starts (a unix socket of mode 0600: only its own user may connect) and resubmits them with
                 SENDMAIL; a deliver that finds no server there, or one started with another tempmail.cf
                 (--config), delivers in its own process.

                 With LMTP_LISTEN set (unix:PATH or inet:HOST:PORT), it also takes mail from Postfix's lmtp(8)
                 client (TRANSPORT=lmtp:unix:tempmail/lmtp) and delivers each recipient as deliver would: 250
                 once sendmail (or the reinjection smtpd LMTP_REINJECT names) has queued it, 550 5.1.1 for an
                 address that is not valid, 4xx otherwise.

                 Follows tempmail.cf and its secret files: an edit is served within 2 s, at once on SIGHUP
                 (systemctl reload tempmail) or when a handed-over delivery finds the file changed. An edit with
                 an error keeps the last good configuration and is logged with file, line and key. Where it
                 listens, its limits, DELIVERY_SOCKET and SENDMAIL_TIMEOUT change only with a restart.

                 Log lines on stderr start with "tempmail serve:". Check a running server with
                   postmap -q ADDRESS socketmap:inet:127.0.0.1:10000:rcpt
                 Exit status 2 with a one-line reason when it cannot start (port in use, socket directory
                 missing, another server on the socket, unknown owner or group).""";
    }

    @Override
    public int run(Invocation invocation, CommandLine line) throws Exception {
        CommonOptions.noArguments(line);
        Consumer<String> log = event -> invocation.err().println(LOG_PREFIX + event);
        Path configPath = invocation.configPath();
        LiveConfig<ServerState> live = LiveConfig.load(configPath,
                new ServerStates(DELIVERY_MARGIN.plus(RETIRE_MARGIN), invocation.clock(), log), log);
        Config config = live.current().config();
        // SENDMAIL_TIMEOUT keeps its value until a restart (RestartSettings), and so does this.
        Duration deliveryTimeout = config.delivery().sendmailTimeout().plus(DELIVERY_MARGIN);
        SocketmapSettings settings = config.socketmap();
        try {
            live.current().served().resolver().store().verify();
        } catch (StoreException e) {
            // Serving on: dated addresses and other domains still work, and the lookups that need the database
            // answer TEMP (mail waits) until it is back.
            log.accept("warning: capability addresses: " + e.getMessage());
        }
        live.current().served().resolver().store().exposure().ifPresent(warning -> log.accept("warning: " + warning));
        ListeningSocket socket;
        Optional<ListeningSocket> deliverySocket;
        try {
            socket = ListeningSocket.open(settings);
        } catch (ServerStartException e) {
            invocation.err().println(LOG_PREFIX + e.getMessage());
            return ExitStatus.USAGE;
        }
        try {
            deliverySocket = openDeliverySocket(config);
        } catch (ServerStartException e) {
            socket.close();
            invocation.err().println(LOG_PREFIX + "DELIVERY_SOCKET: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        Optional<ListeningSocket> lmtpSocket;
        try {
            lmtpSocket = openLmtpSocket(config.lmtp());
        } catch (ServerStartException e) {
            socket.close();
            deliverySocket.ifPresent(ListeningSocket::close);
            invocation.err().println(LOG_PREFIX + "LMTP_LISTEN: " + e.getMessage());
            return ExitStatus.USAGE;
        }
        SocketmapServer server = new SocketmapServer(socket, () -> live.current().served().responder(),
                new SocketmapServer.Limits(settings.maxNetstringLength(), settings.idleTimeout(),
                        settings.requestTimeout(), settings.maxConnections(), settings.maxConnectionsPerPeer()),
                invocation.clock(), log);
        Optional<HandoffServer> deliveries = deliverySocket.map(listener -> new HandoffServer(listener,
                servedConfig(configPath, live), new HandedOffDeliveries(() -> live.current().served(),
                        invocation.environment(), invocation.clock(), log),
                new HandoffServer.Limits(DeliveryAdmission.slots(MAX_DELIVERIES, Runtime.getRuntime().maxMemory()),
                        GREETING_TIMEOUT, deliveryTimeout), log));
        LmtpSettings lmtp = config.lmtp();
        Optional<LmtpServer> lmtpServer = lmtpSocket.map(listener -> new LmtpServer(listener, LMTP_HOSTNAME,
                new LmtpDeliveryHandler(() -> live.current().served(),
                        () -> live.refresh("a message came by LMTP"), invocation.environment(), invocation.clock()),
                new LmtpServer.Limits(lmtp.maxSessions(),
                        DeliveryAdmission.slots(lmtp.maxSessions(), Runtime.getRuntime().maxMemory()),
                        new SessionLimits(lmtp.maxMessageSize(), LMTP_MAX_RECIPIENTS, lmtp.timeout())), log));
        AtomicBoolean stopRequested = new AtomicBoolean();
        Thread stopOnSignal = new Thread(() -> {
            stopRequested.set(true);
            log.accept("stop requested (SIGTERM or SIGINT); shutting down");
            live.close();
            deliveries.ifPresent(HandoffServer::close);
            lmtpServer.ifPresent(LmtpServer::close);
            server.close();
            // A requested stop is a clean exit, not the JVM's 128+signal status.
            Runtime.getRuntime().halt(ExitStatus.OK);
        }, "socketmap-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            server.start();
            deliveries.ifPresent(HandoffServer::start);
            lmtpServer.ifPresent(LmtpServer::start);
            reloadOnHangup(live, log);
            live.start();
            server.awaitStop();
        } finally {
            live.close();
            deliveries.ifPresent(HandoffServer::close);
            lmtpServer.ifPresent(LmtpServer::close);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running and ends the JVM itself.
            }
        }
        if (stopRequested.get()) {
            return ExitStatus.OK;
        }
        log.accept("the server stopped unexpectedly");
        return ExitStatus.USAGE;
    }

    /** SIGHUP (systemctl reload) reloads tempmail.cf instead of ending the JVM. */
    private static void reloadOnHangup(LiveConfig<?> live, Consumer<String> log) {
        try {
            Signal.handle(new Signal("HUP"), signal -> live.requestReload());
        } catch (IllegalArgumentException e) {
            log.accept("cannot take SIGHUP (" + e.getMessage() + "); edits are still followed within "
                    + LiveConfig.POLL_INTERVAL.toSeconds() + " s");
        }
    }

    /**
     * A deliver process started with this server's file is taken, after the server has caught up with the file
     * (the deliver process may have read an edit the poll has not seen yet); one with another file is declined.
     */
    private static ServedConfig servedConfig(Path configPath, LiveConfig<?> live) {
        return clientConfig -> {
            if (!sameFile(clientConfig, configPath)) {
                return Optional.of("its configuration " + clientConfig + " is another file than " + configPath
                        + ", which this server serves");
            }
            live.refresh("a delivery found it changed");
            return Optional.empty();
        };
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Where Postfix's lmtp(8) hands mail over, when LMTP_LISTEN is set. */
    private static Optional<ListeningSocket> openLmtpSocket(LmtpSettings lmtp) throws ServerStartException {
        if (!lmtp.enabled()) {
            return Optional.empty();
        }
        if (lmtp.socketType() == SocketType.INET) {
            return Optional.of(ListeningSocket.inet(lmtp.inetInterface(), lmtp.inetPort()));
        }
        return Optional.of(ListeningSocket.unix(lmtp.unixSocketPath(), lmtp.unixSocketOwner(),
                lmtp.unixSocketGroup(), lmtp.unixSocketMode(), "LMTP_UNIX_SOCKET"));
    }

    /** The private socket deliver processes hand their messages to: only the server's own user may connect. */
    private static Optional<ListeningSocket> openDeliverySocket(Config config) throws ServerStartException {
        Optional<Path> path = config.delivery().deliverySocket();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ListeningSocket.unix(path.get(), Optional.empty(), Optional.empty(), DELIVERY_SOCKET_MODE));
    }
}
