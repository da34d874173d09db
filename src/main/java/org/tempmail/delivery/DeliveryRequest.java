package org.tempmail.delivery;

import java.time.Instant;
import java.util.Optional;

/**
 * One message to deliver: envelope sender ("" for the null sender) and recipient, the Postfix queue id whose
 * Received field dates the arrival, and an explicit time to judge the recipient at (replay --at), if any.
 */
public record DeliveryRequest(String sender, String recipient, Optional<String> queueId, Optional<Instant> at) {
}
