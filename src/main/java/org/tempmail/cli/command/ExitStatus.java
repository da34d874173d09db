package org.tempmail.cli.command;

/** Exit statuses of the person-facing commands. */
public final class ExitStatus {
    public static final int OK = 0;
    public static final int NEGATIVE = 1;
    public static final int USAGE = 2;

    private ExitStatus() {
    }
}
