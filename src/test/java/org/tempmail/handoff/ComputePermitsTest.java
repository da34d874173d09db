package org.tempmail.handoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ComputePermitsTest {
    @Test
    void aDeliveryComputingHoldsOthersBackUntilItWaitsOrFinishes() throws Exception {
        ComputePermits permits = new ComputePermits(1);
        ComputePermits.Pass first = permits.pass();
        InputStream firstMessage = first.gate(new ByteArrayInputStream(new byte[] {1, 2}));
        assertEquals(1, firstMessage.read(), "the first read takes the permit");

        ComputePermits.Pass second = permits.pass();
        InputStream secondMessage = second.gate(new ByteArrayInputStream(new byte[] {3}));
        CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> read(secondMessage));
        assertFalse(finishesWithin(held, 300), "a second delivery computed alongside the first");
        first.finish();
        assertEquals(3, held.get(5, TimeUnit.SECONDS), "finishing gives the permit on");
        assertEquals(2, firstMessage.read(), "a finished delivery reads on without a permit");
        second.finish();
    }

    @Test
    void aDeliveryWaitingForItsClientHoldsNoPermit() throws Exception {
        ComputePermits permits = new ComputePermits(1);
        PipedOutputStream client = new PipedOutputStream();
        InputStream trickling = permits.pass().gate(new PipedInputStream(client));
        client.write(7);
        assertEquals(7, trickling.read());
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> read(trickling));
        Thread.sleep(100);
        ComputePermits.Pass other = permits.pass();
        CompletableFuture<Integer> computing = CompletableFuture.supplyAsync(
                () -> read(other.gate(new ByteArrayInputStream(new byte[] {9}))));
        assertEquals(9, computing.get(5, TimeUnit.SECONDS), "a trickling client blocked another delivery");
        other.finish();
        client.write(8);
        assertEquals(8, waiting.get(5, TimeUnit.SECONDS));
    }

    private static int read(InputStream in) {
        try {
            return in.read();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean finishesWithin(CompletableFuture<Integer> future, long millis) throws Exception {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
