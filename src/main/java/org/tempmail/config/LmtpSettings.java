package org.tempmail.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where serve takes mail from Postfix's lmtp(8) client, when {@code enabled} (LMTP_LISTEN set): a unix socket
 * at {@code unixSocketPath} with its owner, group and mode, or TCP at {@code inetInterface}:{@code inetPort};
 * and what sessions may take; {@code reinjectHost}: where to resubmit over SMTP instead of with sendmail, if set.
 */
public record LmtpSettings(
        boolean enabled,
        SocketType socketType,
        Path unixSocketPath,
        Optional<String> unixSocketOwner,
        Optional<String> unixSocketGroup,
        int unixSocketMode,
        String inetInterface,
        int inetPort,
        int maxSessions,
        long maxMessageSize,
        Duration timeout,
        Optional<String> reinjectHost,
        int reinjectPort) {
    public static final String DEFAULT_UNIX_SOCKET = "/var/spool/postfix/tempmail/lmtp";

    /** The same listener and limits, resubmitting where {@code other} says. */
    public LmtpSettings withReinjectionOf(LmtpSettings other) {
        return new LmtpSettings(enabled, socketType, unixSocketPath, unixSocketOwner, unixSocketGroup, unixSocketMode,
                inetInterface, inetPort, maxSessions, maxMessageSize, timeout, other.reinjectHost, other.reinjectPort);
    }

    /** As Postfix names it after {@code lmtp:}: {@code unix:/path} or {@code inet:host:port}. */
    public String address() {
        return socketType == SocketType.UNIX ? "unix:" + unixSocketPath : "inet:" + inetInterface + ":" + inetPort;
    }
}
