package org.tempmail.owners;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * For the owners benchmark, not a test: how long the writer of the owner index takes, and how many bytes it
 * allocates, for a build from nothing, for a change of one owner and for a new day, in this JVM, as the server's
 * index thread does them.
 */
public final class IndexWriteTiming {
    private IndexWriteTiming() {
    }

    /** @param remake a new holder for the same owner, as the server makes one when an owner changes */
    public static String measure(List<Holder> holders, LocalDate today, Function<Holder, Holder> remake) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        IndexWriter writer = new IndexWriter(true);
        StringBuilder report = new StringBuilder();
        long allocated = threads.getThreadAllocatedBytes(thread);
        long start = System.nanoTime();
        writer.rebuild(holders, today);
        report.append(String.format("writer, %,d holders: built from nothing in %d ms, %.1f MB allocated%n",
                holders.size(), (System.nanoTime() - start) / 1_000_000,
                (threads.getThreadAllocatedBytes(thread) - allocated) / 1e6));
        List<Long> nanos = new ArrayList<>();
        long mostBytes = 0;
        Holder changing = holders.get(holders.size() / 2);
        for (int round = 0; round < 40; round++) {
            allocated = threads.getThreadAllocatedBytes(thread);
            start = System.nanoTime();
            if (round % 2 == 0) {
                writer.update(List.of(changing), List.of(), today);
            } else {
                changing = remake.apply(changing);
                writer.update(List.of(), List.of(changing), today);
            }
            nanos.add(System.nanoTime() - start);
            mostBytes = Math.max(mostBytes, threads.getThreadAllocatedBytes(thread) - allocated);
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        report.append(String.format("  one owner disabled or enabled (40 times): median %.2f ms, slowest %.2f ms,"
                + " at most %,d bytes allocated%n", sorted.get(20) / 1e6, sorted.get(39) / 1e6, mostBytes));
        report.append(lookupsWhile(writer, holders.get(holders.size() / 3), today, false));
        report.append(lookupsWhile(writer, holders.get(holders.size() / 3), today, true));
        List<Holder> all = new ArrayList<>(writer.holders());
        allocated = threads.getThreadAllocatedBytes(thread);
        start = System.nanoTime();
        writer.rebuild(all, today.plusDays(1));
        report.append(String.format("  new day (every holder's tomorrow digested, all entries written again): "
                + "%d ms, %.1f MB allocated%n", (System.nanoTime() - start) / 1_000_000,
                (threads.getThreadAllocatedBytes(thread) - allocated) / 1e6));
        return report.toString();
    }

    /**
     * One thread looks an owner's address up for 3 s, timing each lookup, while this one changes another owner
     * every 75 ms or changes nothing: what the index itself makes a lookup wait, without sockets.
     */
    private static String lookupsWhile(IndexWriter writer, Holder looked, LocalDate today, boolean changing) {
        String address = looked.generations().get(0).scheme().localPart(today) + "@" + looked.domain();
        long[] nanos = new long[6_000_000];
        int[] made = new int[1];
        long end = System.nanoTime() + 3_000_000_000L;
        Thread reader = new Thread(() -> {
            int n = 0;
            long now = System.nanoTime();
            while (now < end && n < nanos.length) {
                if (!(writer.current().find(address) instanceof OwnerIndex.Hit)) {
                    throw new IllegalStateException("not found: " + address);
                }
                long after = System.nanoTime();
                nanos[n++] = after - now;
                now = after;
            }
            made[0] = n;
        });
        reader.start();
        Holder changed = writer.holders().stream().filter(holder -> holder != looked).findFirst().orElseThrow();
        int changes = 0;
        try {
            while (reader.isAlive()) {
                if (changing) {
                    writer.update(List.of(changed), List.of(), today);
                    writer.update(List.of(), List.of(changed), today);
                    changes += 2;
                }
                reader.join(75);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] took = Arrays.copyOf(nanos, made[0]);
        Arrays.sort(took);
        return String.format("  in this JVM, one thread's lookups for 3 s %s: %,d, slowest %.3f ms, p99.9 %.4f ms%n",
                changing ? "while " + changes + " updates were written" : "without updates", took.length,
                took[took.length - 1] / 1e6, took[(int) Math.ceil(took.length * 0.999) - 1] / 1e6);
    }
}
