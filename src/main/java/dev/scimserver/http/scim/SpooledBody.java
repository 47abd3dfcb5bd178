package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A response body written whole before any of it is sent: in memory up to {@link #IN_MEMORY} bytes,
 * beyond that in a temporary file. What lets groups' members go from the database into the body at
 * the database's pace, and the connection go back to the pool before the client, however slow,
 * reads them. (A body streamed straight to the client held the connection for as long as the client
 * took: a few clients that stall exhausted the pool. Reading the members in keyset chunks, one
 * short statement each, would free the connection between chunks but mix versions of a group that
 * changes meanwhile; a deadline would cut off an honest slow client.) The file is opened with
 * DELETE_ON_CLOSE, which on Unix unlinks it at once: nothing is left behind, even by a SIGKILL.
 *
 * <p>In memory the body is a list of {@value #CHUNK}-byte chunks, not one array that doubles: that
 * array and its final copy held a page of a thousand users about three times over, in arrays of a
 * megabyte or more, each a humongous allocation (whole G1 regions) under the bench's heap.
 */
final class SpooledBody extends OutputStream {
    /**
     * Beyond this a body goes to a file: a page of groups can carry millions of members. A page of a
     * thousand users is well below it; sent from the file it cost the export measurably more CPU.
     */
    static final int IN_MEMORY = 4 * 1024 * 1024;

    private static final int CHUNK = 32 * 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    /** Bytes in memory: every chunk is full but the last. */
    private int inMemory;
    private FileChannel file;
    private OutputStream fileOut;

    /** A writer of JSON into the body. */
    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator out) throws IOException;
    }

    /** Writes JSON into the body through one generator, flushed when {@code writer} is done. */
    void writeJson(JsonWriter writer) {
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(this)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool a response body", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (file == null && inMemory + length > IN_MEMORY) {
            Path path = Files.createTempFile("scim-body-", ".json");
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            fileOut = Channels.newOutputStream(file);
            writeChunks(fileOut);
            chunks.clear();
            inMemory = 0;
        }
        if (file != null) {
            fileOut.write(bytes, offset, length);
            return;
        }
        for (int at = offset, end = offset + length; at < end; ) {
            int used = inMemory % CHUNK;
            if (used == 0) {
                chunks.add(new byte[CHUNK]);
            }
            int n = Math.min(end - at, CHUNK - used);
            System.arraycopy(bytes, at, chunks.get(chunks.size() - 1), used, n);
            at += n;
            inMemory += n;
        }
    }

    private void writeChunks(OutputStream out) throws IOException {
        for (int i = 0, left = inMemory; left > 0; i++, left -= CHUNK) {
            out.write(chunks.get(i), 0, Math.min(left, CHUNK));
        }
    }

    /** The body's size in bytes. */
    long size() throws IOException {
        return file == null ? inMemory : file.size();
    }

    /** The body's first {@code length} bytes, or all of it when it is shorter. */
    byte[] head(int length) throws IOException {
        byte[] head = new byte[(int) Math.min(size(), length)];
        if (file != null) {
            ByteBuffer into = ByteBuffer.wrap(head);
            while (into.hasRemaining() && file.read(into, into.position()) > 0) {
                // A read may stop short of what was asked; the file holds at least this much.
            }
            return head;
        }
        for (int i = 0, at = 0; at < head.length; i++, at += CHUNK) {
            System.arraycopy(chunks.get(i), 0, head, at, Math.min(CHUNK, head.length - at));
        }
        return head;
    }

    /** Writes the whole body to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        if (file == null) {
            writeChunks(out);
            return;
        }
        WritableByteChannel target = Channels.newChannel(out);
        for (long sent = 0, size = file.size(); sent < size; ) {
            sent += file.transferTo(sent, size - sent, target);
        }
    }

    /**
     * Sends the body as the response: only now may the client's pace matter. A client that goes
     * away meanwhile has nothing left to be answered.
     */
    void send(Context ctx, int status) {
        ctx.status(status).contentType(ScimApi.SCIM_CONTENT_TYPE);
        try {
            RequestObservation.answered(ctx, head(RequestObservation.RESPONSE_HEAD_BYTES), size());
            OutputStream out = ctx.outputStream();
            writeTo(out);
            out.flush();
        } catch (IOException e) {
            // The client closed the connection; the request is over either way.
        }
    }

    /** Drops the body; its file, if any, is gone with it. */
    @Override
    public void close() {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close a spooled response body", e);
        }
    }
}
