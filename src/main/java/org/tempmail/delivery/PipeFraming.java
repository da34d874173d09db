package org.tempmail.delivery;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message that reached this server by another way than pipe(8) (LMTP), framed as pipe(8) with master.cf's
 * {@code flags=DR} hands it to deliver: Return-Path and Delivered-To on top, LF line endings. Delivered the same
 * way from there, it reaches sendmail as the same bytes.
 */
public final class PipeFraming {
    /**
     * The clause of the Received field this Postfix put on top: "by HOST (Postfix) with ESMTP id 4Abc12" or, for
     * mail submitted locally, "by HOST (Postfix, from userid 0) id 4Abc12".
     */
    private static final Pattern POSTFIX_ID =
            Pattern.compile("\\(Postfix[^)]*\\)(?:\\s+with\\s+\\S+)?\\s+id\\s+([0-9A-Za-z]+)(?=[\\s;]|$)");

    private PipeFraming() {
    }

    /** {@code content}: the message as Postfix stored it, lines ended by LF. */
    public static InputStream message(String sender, String recipient, InputStream content) {
        String fields = "Return-Path: <" + sender + ">\nDelivered-To: " + recipient + "\n";
        return new SequenceInputStream(new ByteArrayInputStream(fields.getBytes(StandardCharsets.UTF_8)), content);
    }

    /**
     * Whether the message came through {@code recipient} before: what pipe(8)'s D flag checks (a Delivered-To
     * field naming it, any case) and bounces as a mail forwarding loop. lmtp(8) does not check it. The field
     * {@link #message} put on top is not counted.
     */
    public static boolean deliveredBefore(MessageHead head, String recipient) {
        return head.fields("Delivered-To").skip(1).anyMatch(field -> field.address().equalsIgnoreCase(recipient));
    }

    /**
     * The queue id pipe(8) would have passed (${queue_id}): that of the first Received field, which this Postfix
     * added; fields further down came from elsewhere and are not looked at. Empty when the first one is no
     * Postfix field with an id (then the message is judged now, as deliver without --queue-id).
     */
    public static Optional<String> queueId(MessageHead head) {
        return head.first("Received").flatMap(field -> {
            String value = field.value();
            int semicolon = value.lastIndexOf(';');
            Matcher matcher = POSTFIX_ID.matcher(semicolon < 0 ? value : value.substring(0, semicolon));
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        });
    }
}
