package org.tempmail.delivery;

/**
 * What became of one delivery: the exit status pipe(8) reads (sysexits) and the one status line it appends to
 * the bounce or defer reason, led by an enhanced status code so Postfix takes the class from it.
 */
public record DeliveryOutcome(int exitStatus, String enhancedCode, String text) {
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

    public static DeliveryOutcome deferred(String enhancedCode, String text) {
        return new DeliveryOutcome(TEMPORARY_FAILURE, enhancedCode, text);
    }

    public boolean delivered() {
        return exitStatus == DELIVERED;
    }

    /** "5.1.1 text": the line for pipe(8). */
    public String statusLine() {
        return enhancedCode + " " + text;
    }
}
