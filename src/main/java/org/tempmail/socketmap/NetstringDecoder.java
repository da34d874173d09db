package org.tempmail.socketmap;

/**
 * Incremental netstring decoder: feed it bytes as they arrive, in pieces of any size, and take each complete
 * payload. A payload longer than the limit is refused as soon as its length is read, so a client can never make
 * it hold more than {@code maxLength} bytes; an idle connection holds none.
 */
public final class NetstringDecoder {
    private enum State { LENGTH, PAYLOAD, COMMA, COMPLETE }

    private final int maxLength;
    private final int maxDigits;
    private byte[] payload;
    private State state = State.LENGTH;
    private int digits;
    private int length;
    private int filled;

    public NetstringDecoder(int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must not be negative");
        }
        this.maxLength = maxLength;
        this.maxDigits = Integer.toString(maxLength).length();
    }

    /**
     * Consumes bytes from {@code data[offset..offset+count)} up to the end of the next complete netstring and
     * returns how many it consumed; check {@link #hasPayload()} afterwards.
     */
    public int feed(byte[] data, int offset, int count) throws NetstringException {
        if (state == State.COMPLETE) {
            throw new IllegalStateException("take() the previous payload first");
        }
        int position = offset;
        int end = offset + count;
        while (position < end && state != State.COMPLETE) {
            switch (state) {
                case LENGTH -> position = readLength(data, position);
                case PAYLOAD -> {
                    int chunk = Math.min(length - filled, end - position);
                    System.arraycopy(data, position, payload, filled, chunk);
                    filled += chunk;
                    position += chunk;
                    if (filled == length) {
                        state = State.COMMA;
                    }
                }
                case COMMA -> {
                    if (data[position++] != ',') {
                        throw new NetstringException("malformed netstring: no ',' after " + length + " bytes");
                    }
                    state = State.COMPLETE;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return position - offset;
    }

    /** True when a complete payload is waiting to be taken. */
    public boolean hasPayload() {
        return state == State.COMPLETE;
    }

    /** True when part of a netstring has been read but not all of it. */
    public boolean isMidNetstring() {
        return state != State.COMPLETE && (digits > 0 || state != State.LENGTH);
    }

    /** Returns the complete payload and gets ready for the next netstring. */
    public byte[] take() {
        if (state != State.COMPLETE) {
            throw new IllegalStateException("no complete netstring");
        }
        byte[] complete = payload;
        payload = null;
        state = State.LENGTH;
        digits = 0;
        length = 0;
        filled = 0;
        return complete;
    }

    private int readLength(byte[] data, int position) throws NetstringException {
        byte b = data[position];
        if (b >= '0' && b <= '9') {
            length = length * 10 + (b - '0');
            digits++;
            // Leading zeros count too, so a stream of "0000..." cannot keep a connection busy for ever.
            if (length > maxLength || digits > maxDigits) {
                throw new NetstringException("netstring longer than " + maxLength + " bytes");
            }
            return position + 1;
        }
        if (b == ':' && digits > 0) {
            payload = new byte[length];
            state = length == 0 ? State.COMMA : State.PAYLOAD;
            return position + 1;
        }
        throw new NetstringException("malformed netstring: expected a length"
                + (digits > 0 ? " followed by ':'" : "") + ", got " + describe(b));
    }

    private static String describe(byte b) {
        int value = b & 0xff;
        return value > 32 && value < 127 ? "'" + (char) value + "'" : String.format("byte 0x%02x", value);
    }
}
