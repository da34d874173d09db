package org.tempmail.socketmap;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A socketmap client for tests: raw bytes in, netstring replies out, every read bounded by a timeout. */
final class TestClient implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final SocketChannel channel;
    private final Selector selector;
    private final NetstringDecoder decoder = new NetstringDecoder(100_000);
    private final ByteBuffer input = ByteBuffer.allocate(4096);

    private TestClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        input.flip();
    }

    static TestClient connect(SocketAddress address) throws IOException {
        return new TestClient(SocketChannel.open(address));
    }

    /** Sends one request as a netstring and returns the reply. */
    String ask(String request) throws IOException {
        send(Netstring.encode(request));
        return readReply();
    }

    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] raw) throws IOException {
        ByteBuffer output = ByteBuffer.wrap(raw);
        while (output.hasRemaining()) {
            channel.write(output);
        }
    }

    /** Reads one netstring reply; fails when none comes within the timeout or the server closes first. */
    String readReply() throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            while (input.hasRemaining()) {
                try {
                    int used = decoder.feed(input.array(), input.position(), input.remaining());
                    input.position(input.position() + used);
                } catch (NetstringException e) {
                    throw new IOException("bad reply from server: " + e.getMessage());
                }
                if (decoder.hasPayload()) {
                    return new String(decoder.take(), StandardCharsets.UTF_8);
                }
            }
            if (fill(deadline) < 0) {
                throw new IOException("server closed the connection without a reply");
            }
        }
    }

    /** True when the server closes the connection within {@code within}, with no further bytes. */
    boolean closedByServer(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        if (input.hasRemaining()) {
            return false;
        }
        try {
            int count = fill(deadline);
            return count < 0;
        } catch (IOException e) {
            // A reset counts as closed.
            return !e.getMessage().startsWith("no reply within");
        }
    }

    /** Reads more bytes into the input buffer; -1 at end of stream. */
    private int fill(long deadline) throws IOException {
        input.compact();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no reply within the timeout");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int count = channel.read(input);
                if (count != 0) {
                    return count;
                }
            }
        } finally {
            input.flip();
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
