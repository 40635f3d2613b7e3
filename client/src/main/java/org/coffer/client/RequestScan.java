package org.coffer.client;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The walk of {@link Wire#requestLength} over the lengths of a request, without parsing it. */
final class RequestScan {

    private final ByteBuffer bytes;

    private RequestScan(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /** @return the length of the whole request at the buffer's start, or -1 while bytes are missing */
    static int length(ByteBuffer bytes) throws IOException {
        RequestScan scan = new RequestScan(bytes);
        try {
            if (scan.integer() != Wire.MAGIC) {
                throw new IOException("not a Coffer client");
            }
            scan.skip(1); // kind
            for (int words = scan.count(); words > 0; words--) {
                scan.string();
            }
            for (int variables = scan.count(); variables > 0; variables--) {
                scan.string();
                scan.string();
            }
            scan.string(); // working folder
            scan.skip(1); // console
            scan.string(); // fingerprint
            return bytes.position();
        } catch (Incomplete missing) {
            return -1;
        }
    }

    private int integer() throws Incomplete {
        if (bytes.remaining() < 4) {
            throw Incomplete.INSTANCE;
        }
        return bytes.getInt();
    }

    private void skip(int count) throws Incomplete {
        if (bytes.remaining() < count) {
            throw Incomplete.INSTANCE;
        }
        bytes.position(bytes.position() + count);
    }

    private int count() throws IOException {
        int count = integer();
        if (count < 0 || count > Wire.MAX_ITEMS) {
            throw new IOException("a request with " + count + " items");
        }
        return count;
    }

    private void string() throws IOException {
        int length = integer();
        if (length < 0 || length > Wire.MAX_STRING) {
            throw new IOException("a frame of " + length + " bytes");
        }
        skip(length);
    }

    /** More bytes are needed: the common case, so without a stack trace. */
    private static final class Incomplete extends IOException {
        private static final long serialVersionUID = 1L;
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super("more bytes are needed");
            setStackTrace(new StackTraceElement[0]);
        }
    }
}
