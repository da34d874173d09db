package org.tempmail.delivery;

import java.util.Optional;

/**
 * A message tempmail already delivered, as replay finds it in the MAILDROP's mailbox: it carries our
 * X-Tempmail-To (deliver renames any that came with the message), and its recipient there, the MAILDROP that
 * local delivery stamped in Delivered-To and X-Original-To, is no temporary address. Replaying it would send the
 * message round again: a loop, not an unknown address.
 */
public final class DeliveredCopy {
    private DeliveredCopy() {
    }

    /** The loop, for a copy refused as no temporary address; any other outcome as it is. */
    public static DeliveryOutcome judge(DeliveryOutcome outcome, MessageHead head, String recipient) {
        if (outcome.exitStatus() != DeliveryOutcome.NO_USER) {
            return outcome;
        }
        Optional<HeaderField> stamp = head.first("X-Tempmail-To");
        return stamp.map(field -> DeliveryOutcome.loop("mail loop: the message was already delivered to <"
                + recipient + "> for <" + field.address() + "> (X-Tempmail-To); replay the copy saved before"
                + " delivery")).orElse(outcome);
    }
}
