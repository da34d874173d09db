package org.tempmail.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * Bounds how many handed-over deliveries compute at once (read, parse, rewrite, spool) to one core fewer than
 * the machine has, so a burst of hostile messages leaves the socketmap a core to answer on. A delivery holds a
 * permit only between two reads of its message: never while it waits for its client's next bytes (a client
 * that trickles blocks no one else) nor, once its message is read whole, while sendmail runs.
 */
final class ComputePermits {
    private final Semaphore permits;
    private final int count;

    ComputePermits(int count) {
        this.count = count;
        this.permits = new Semaphore(count);
    }

    /** One fewer than the processors, at least one. */
    static ComputePermits forThisMachine() {
        return new ComputePermits(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    int count() {
        return count;
    }

    Pass pass() {
        return new Pass();
    }

    /** One delivery's share: its message read through {@link #gate}, given up for good by {@link #finish}. */
    final class Pass {
        private boolean held;
        private boolean finished;

        InputStream gate(InputStream message) {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    release();
                    int b = message.read();
                    acquire();
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    release();
                    int n = message.read(buffer, offset, length);
                    acquire();
                    return n;
                }
            };
        }

        /** Nothing is left to compute: the message is read whole and only waiting remains. */
        synchronized void finish() {
            finished = true;
            release();
        }

        private synchronized void release() {
            if (held) {
                permits.release();
                held = false;
            }
        }

        private void acquire() throws InterruptedIOException {
            synchronized (this) {
                if (finished || held) {
                    return;
                }
            }
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting to compute");
            }
            synchronized (this) {
                if (finished) {
                    permits.release();
                } else {
                    held = true;
                }
            }
        }
    }
}
