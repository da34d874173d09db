package org.tempmail.lmtp.server;

import java.time.Duration;

/**
 * What one LMTP session may take: {@code maxMessageSize} bytes of message, {@code maxRecipients} per message,
 * {@code timeout} without a byte from the client (while it is expected to send).
 */
public record SessionLimits(long maxMessageSize, int maxRecipients, Duration timeout) {
}
