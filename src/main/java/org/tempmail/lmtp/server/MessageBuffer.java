package org.tempmail.lmtp.server;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A message as it is received: in memory up to {@code inMemory} bytes, which most messages are, so that they cost
 * no file; beyond that in a private file, created when the message outgrows memory. A file that cannot be
 * created or written is not an error of the connection: the rest of the message is read and dropped, and
 * {@link #failure()} says why it cannot be delivered.
 */
final class MessageBuffer extends OutputStream implements ReceivedMessage {
    private static final int FILE_BUFFER = 64 * 1024;

    /** Where a message too large for memory goes. */
    interface FileSource {
        Path newMessageFile() throws IOException;
    }

    private final int inMemory;
    private final FileSource files;
    private byte[] bytes;
    private int count;
    private Path file;
    private OutputStream fileOut;
    private IOException failure;

    MessageBuffer(int inMemory, FileSource files) {
        this.inMemory = inMemory;
        this.files = files;
        this.bytes = new byte[Math.min(8192, inMemory)];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        if (failure != null) {
            return;
        }
        if (file == null && count + length <= inMemory) {
            if (count + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(inMemory, Math.max(count + length, 2 * bytes.length)));
            }
            System.arraycopy(source, offset, bytes, count, length);
            count += length;
            return;
        }
        try {
            if (file == null) {
                file = files.newMessageFile();
                fileOut = new BufferedOutputStream(Files.newOutputStream(file), FILE_BUFFER);
                fileOut.write(bytes, 0, count);
                bytes = null;
            }
            fileOut.write(source, offset, length);
        } catch (IOException e) {
            failure = e;
            bytes = null;
        }
    }

    /** Ends the writing; the message may then be read. */
    @Override
    public void close() {
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /** Why the message was not kept whole, if it was not. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(bytes, 0, count) : Files.newInputStream(file);
    }

    /** Removes the file, if there is one. */
    void discard() throws IOException {
        close();
        if (file != null) {
            Files.deleteIfExists(file);
        }
        bytes = null;
    }
}
