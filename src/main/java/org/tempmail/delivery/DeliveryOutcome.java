package org.tempmail.delivery;

/**
 * What became of one delivery: the exit status pipe(8) reads (sysexits), the one status line it appends to
 * the bounce or defer reason, led by an enhanced status code so Postfix takes the class from it, and the
 * administrator's detail. The status line reaches senders (bounce and delay notices): {@code text} is a short
 * reason with no secrets, credentials, hosts or paths; {@code detail} (empty when the text says it all) goes to
 * the administrator's log only.
 */
public record DeliveryOutcome(int exitStatus, String enhancedCode, String text, String detail) {
    public static final int DELIVERED = 0;
    /** EX_DATAERR: bounces; used for a mail loop. */
    public static final int DATA_ERROR = 65;
    /** EX_NOUSER: bounces with 5.1.1. */
    public static final int NO_USER = 67;
    /** EX_TEMPFAIL: the only status (with 71) that makes Postfix try again later. */
    public static final int TEMPORARY_FAILURE = 75;

    /** Longest text kept: pipe(8) keeps only the first 4096 bytes of a command's output. */
    static final int MAX_TEXT = 900;

    public DeliveryOutcome {
        text = text.replaceAll("\\p{Cntrl}+", " ").strip();
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT - 3) + "...";
        }
        detail = detail.replaceAll("\\p{Cntrl}+", " ").strip();
    }

    /** An outcome whose text is all there is to say. */
    public DeliveryOutcome(int exitStatus, String enhancedCode, String text) {
        this(exitStatus, enhancedCode, text, "");
    }

    static DeliveryOutcome delivered(String text) {
        return new DeliveryOutcome(DELIVERED, "2.0.0", text);
    }

    static DeliveryOutcome noSuchAddress(String text) {
        return new DeliveryOutcome(NO_USER, "5.1.1", text);
    }

    static DeliveryOutcome loop(String text) {
        return new DeliveryOutcome(DATA_ERROR, "5.4.6", text);
    }

    static DeliveryOutcome loop(String text, String detail) {
        return new DeliveryOutcome(DATA_ERROR, "5.4.6", text, detail);
    }

    public static DeliveryOutcome deferred(String enhancedCode, String text) {
        return new DeliveryOutcome(TEMPORARY_FAILURE, enhancedCode, text);
    }

    /** {@code text} for the sender, {@code detail} for the administrator's log. */
    public static DeliveryOutcome deferred(String enhancedCode, String text, String detail) {
        return new DeliveryOutcome(TEMPORARY_FAILURE, enhancedCode, text, detail);
    }

    public boolean delivered() {
        return exitStatus == DELIVERED;
    }

    /** "5.1.1 text": the line for pipe(8), which reaches the sender. */
    public String statusLine() {
        return enhancedCode + " " + text;
    }

    /** The status line with the administrator's detail: for logs and for a person at a terminal (replay). */
    public String administratorLine() {
        return detail.isEmpty() ? statusLine() : statusLine() + ": " + detail;
    }
}
