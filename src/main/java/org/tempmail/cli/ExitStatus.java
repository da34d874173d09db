package org.tempmail.cli;

/** Exit statuses of the person-facing commands. */
final class ExitStatus {
    static final int OK = 0;
    static final int NEGATIVE = 1;
    static final int USAGE = 2;

    private ExitStatus() {
    }
}
