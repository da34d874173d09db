package org.tempmail.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where the socketmap server listens, its map names and answers, and its limits. */
public record SocketmapSettings(
        SocketType socketType,
        Path unixSocketPath,
        Optional<String> unixSocketOwner,
        Optional<String> unixSocketGroup,
        int unixSocketMode,
        String inetInterface,
        int inetPort,
        String aliasMapName,
        String recipientMapName,
        String transportMapName,
        String accessMapName,
        String transport,
        String accessExpiredText,
        int maxNetstringLength,
        Duration idleTimeout,
        Duration requestTimeout,
        int maxConnections,
        int maxConnectionsPerPeer) {
}
