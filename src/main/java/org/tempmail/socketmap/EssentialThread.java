package org.tempmail.socketmap;

import java.util.function.Consumer;

/**
 * A thread the server cannot work without (an acceptor, a watchdog). If one dies of anything unforeseen, the
 * whole process exits, logged, with a status the service manager restarts on: a server that lives on with no
 * acceptor answers nothing and looks healthy to systemd. Running out of memory ends the JVM before this
 * (-XX:+ExitOnOutOfMemoryError, set by the launcher).
 */
public final class EssentialThread {
    /** EX_SOFTWARE: an internal error. */
    static final int DIED = 70;

    private EssentialThread() {
    }

    public static Thread create(Runnable body, String name, Consumer<String> log) {
        Thread thread = new Thread(body, name);
        thread.setUncaughtExceptionHandler((dead, e) -> {
            log.accept("thread " + dead.getName() + " died (" + e + "); exiting so that the service is restarted");
            Runtime.getRuntime().halt(DIED);
        });
        return thread;
    }
}
