package dev.scimserver.store;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * Rows sent to {@code COPY … FROM STDIN (FORMAT binary)}, in PostgreSQL's binary copy format: each
 * value its length and its bytes, which the server takes as they are, where text arrays and text
 * copy are parsed character by character on both sides. The rows go out in chunks as they are
 * written, so a batch of large bodies is never held whole.
 *
 * <p>Each row starts with {@link #row(int)}, naming how many values follow, one per column of the
 * statement in its order; {@link #finish()} ends the copy. Closed before then, the copy is cancelled
 * and PostgreSQL keeps none of its rows.
 */
final class BinaryCopyRows implements AutoCloseable {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_SECOND = 946_684_800L;
    private static final int CHUNK = 64 * 1024;

    private final CopyIn copy;
    private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    private boolean finished;

    private BinaryCopyRows(CopyIn copy) {
        this.copy = copy;
    }

    /** Starts {@code copyStatement}, which must end in {@code FROM STDIN (FORMAT binary)}. */
    static BinaryCopyRows start(Connection connection, String copyStatement) throws SQLException {
        BinaryCopyRows rows = new BinaryCopyRows(connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn(copyStatement));
        // The header: its signature, no flags, no extension.
        rows.chunk.put(SIGNATURE).putInt(0).putInt(0);
        return rows;
    }

    BinaryCopyRows row(int values) throws SQLException {
        room(Short.BYTES).putShort((short) values);
        return this;
    }

    BinaryCopyRows uuid(UUID value) throws SQLException {
        if (value == null) {
            return missing();
        }
        room(Integer.BYTES + 16).putInt(16).putLong(value.getMostSignificantBits())
                .putLong(value.getLeastSignificantBits());
        return this;
    }

    /** A {@code timestamptz}, to the microsecond. */
    BinaryCopyRows timestamp(Instant value) throws SQLException {
        if (value == null) {
            return missing();
        }
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond() - POSTGRES_EPOCH_SECOND, 1_000_000L),
                value.getNano() / 1_000);
        room(Integer.BYTES + Long.BYTES).putInt(Long.BYTES).putLong(micros);
        return this;
    }

    /** A {@code smallint}. */
    BinaryCopyRows int2(int value) throws SQLException {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("not a smallint: " + value);
        }
        room(Integer.BYTES + Short.BYTES).putInt(Short.BYTES).putShort((short) value);
        return this;
    }

    /** A {@code bigint}. */
    BinaryCopyRows int8(long value) throws SQLException {
        room(Integer.BYTES + Long.BYTES).putInt(Long.BYTES).putLong(value);
        return this;
    }

    BinaryCopyRows bool(boolean value) throws SQLException {
        room(Integer.BYTES + 1).putInt(1).put((byte) (value ? 1 : 0));
        return this;
    }

    BinaryCopyRows text(String value) throws SQLException {
        if (value == null) {
            return missing();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        room(Integer.BYTES).putInt(utf8.length);
        if (utf8.length > chunk.remaining()) {
            send();
        }
        // A text longer than a whole chunk goes out on its own, after the chunk that holds its length.
        if (utf8.length <= chunk.remaining()) {
            chunk.put(utf8);
        } else {
            copy.writeToCopy(utf8, 0, utf8.length);
        }
        return this;
    }

    /** Ends the copy; answers the rows PostgreSQL took. */
    long finish() throws SQLException {
        room(Short.BYTES).putShort((short) -1);
        send();
        finished = true;
        return copy.endCopy();
    }

    @Override
    public void close() throws SQLException {
        if (!finished && copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private BinaryCopyRows missing() throws SQLException {
        room(Integer.BYTES).putInt(-1);
        return this;
    }

    /** The chunk, with room for {@code bytes} more: sent first when it has less. */
    private ByteBuffer room(int bytes) throws SQLException {
        if (chunk.remaining() < bytes) {
            send();
        }
        return chunk;
    }

    private void send() throws SQLException {
        if (chunk.position() > 0) {
            copy.writeToCopy(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
    }
}
