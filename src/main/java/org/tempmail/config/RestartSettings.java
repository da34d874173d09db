package org.tempmail.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings a running server took when it started and cannot change while it runs: where it listens, its
 * connection limits, its delivery socket, its LMTP listener and limits (the LMTP_ keys but LMTP_REINJECT, reported
 * as LMTP_LISTEN) and the time limit of handed-over deliveries. An edit to them is kept back until a restart; the
 * rest of the edit applies, LMTP_REINJECT included: each LMTP message is resubmitted where the file says then.
 */
public final class RestartSettings {
    /** The edited configuration with the running server's values of these settings, and the keys kept back. */
    public record Applied(Config config, List<Key> keptBack) {
    }

    private RestartSettings() {
    }

    public static Applied keepRunning(Config running, Config edited) {
        SocketmapSettings was = running.socketmap();
        SocketmapSettings now = edited.socketmap();
        List<Key> keptBack = new ArrayList<>();
        compare(keptBack, Key.SOCKETMAP_SOCKET_TYPE, was.socketType(), now.socketType());
        if (was.socketType() == SocketType.UNIX) {
            compare(keptBack, Key.SOCKETMAP_UNIX_SOCKET_PATH, was.unixSocketPath(), now.unixSocketPath());
            compare(keptBack, Key.SOCKETMAP_UNIX_SOCKET_OWNER_UID, was.unixSocketOwner(), now.unixSocketOwner());
            compare(keptBack, Key.SOCKETMAP_UNIX_SOCKET_OWNER_GID, was.unixSocketGroup(), now.unixSocketGroup());
            compare(keptBack, Key.SOCKETMAP_UNIX_SOCKET_MODE, was.unixSocketMode(), now.unixSocketMode());
        } else {
            compare(keptBack, Key.SOCKETMAP_INET_INTERFACE, was.inetInterface(), now.inetInterface());
            compare(keptBack, Key.SOCKETMAP_INET_PORT, was.inetPort(), now.inetPort());
        }
        compare(keptBack, Key.SOCKETMAP_MAX_NETSTRING_LENGTH, was.maxNetstringLength(), now.maxNetstringLength());
        compare(keptBack, Key.SOCKETMAP_IDLE_TIMEOUT, was.idleTimeout(), now.idleTimeout());
        compare(keptBack, Key.SOCKETMAP_REQUEST_TIMEOUT, was.requestTimeout(), now.requestTimeout());
        compare(keptBack, Key.SOCKETMAP_MAX_CONNECTIONS, was.maxConnections(), now.maxConnections());
        compare(keptBack, Key.SOCKETMAP_MAX_CONNECTIONS_PER_PEER, was.maxConnectionsPerPeer(),
                now.maxConnectionsPerPeer());
        DeliverySettings delivery = edited.delivery();
        compare(keptBack, Key.DELIVERY_SOCKET, running.delivery().deliverySocket(), delivery.deliverySocket());
        compare(keptBack, Key.SENDMAIL_TIMEOUT, running.delivery().sendmailTimeout(), delivery.sendmailTimeout());

        SocketmapSettings socketmap = new SocketmapSettings(was.socketType(), was.unixSocketPath(),
                was.unixSocketOwner(), was.unixSocketGroup(), was.unixSocketMode(), was.inetInterface(),
                was.inetPort(), now.aliasMapName(), now.recipientMapName(), now.transportMapName(),
                now.accessMapName(), now.transport(), now.accessExpiredText(), was.maxNetstringLength(),
                was.idleTimeout(), was.requestTimeout(), was.maxConnections(), was.maxConnectionsPerPeer());
        DeliverySettings kept = new DeliverySettings(delivery.subjectTag(), delivery.stripHeaders(),
                delivery.sendmail(), running.delivery().sendmailTimeout(), running.delivery().deliverySocket(),
                delivery.spoolDirectory());
        LmtpSettings lmtp = running.lmtp().withReinjectionOf(edited.lmtp());
        compare(keptBack, Key.LMTP_LISTEN, lmtp, edited.lmtp());
        Config config = new Config(edited.source(), edited.addresses(), socketmap, kept, edited.warnings(),
                edited.database(), edited.files(), lmtp);
        return new Applied(config, List.copyOf(keptBack));
    }

    private static void compare(List<Key> keptBack, Key key, Object running, Object edited) {
        if (!Objects.equals(running, edited)) {
            keptBack.add(key);
        }
    }
}
