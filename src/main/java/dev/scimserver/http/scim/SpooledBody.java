package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
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
import java.util.Arrays;

/**
 * A response body written whole before any of it is sent: in memory up to {@link #IN_MEMORY} bytes,
 * beyond that in a temporary file. What lets groups' members go from the database into the body at
 * the database's pace, and the connection go back to the pool before the client, however slow,
 * reads them. (A body streamed straight to the client held the connection for as long as the client
 * took: a few clients that stall exhausted the pool. Reading the members in keyset chunks, one
 * short statement each, would free the connection between chunks but mix versions of a group that
 * changes meanwhile; a deadline would cut off an honest slow client.) The file is opened with
 * DELETE_ON_CLOSE, which on Unix unlinks it at once: nothing is left behind, even by a SIGKILL.
 */
final class SpooledBody extends OutputStream {
    /** Beyond this a body goes to a file: a page of groups can carry millions of members. */
    static final int IN_MEMORY = 1024 * 1024;

    private final ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
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
        if (file == null && memory.size() + length > IN_MEMORY) {
            Path path = Files.createTempFile("scim-body-", ".json");
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            fileOut = Channels.newOutputStream(file);
            memory.writeTo(fileOut);
            memory.reset();
        }
        (file == null ? memory : fileOut).write(bytes, offset, length);
    }

    /**
     * Sends the body as the response: only now may the client's pace matter. A client that goes
     * away meanwhile has nothing left to be answered.
     */
    void send(Context ctx, int status) {
        ctx.status(status).contentType(ScimApi.SCIM_CONTENT_TYPE);
        try {
            OutputStream out = ctx.outputStream();
            if (file == null) {
                byte[] body = memory.toByteArray();
                RequestObservation.answered(ctx, Arrays.copyOf(body, Math.min(body.length,
                        RequestObservation.RESPONSE_HEAD_BYTES)), body.length);
                out.write(body);
            } else {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(file.size(), RequestObservation.RESPONSE_HEAD_BYTES));
                file.read(head, 0);
                RequestObservation.answered(ctx, Arrays.copyOf(head.array(), head.position()), file.size());
                WritableByteChannel target = Channels.newChannel(out);
                for (long sent = 0, size = file.size(); sent < size; ) {
                    sent += file.transferTo(sent, size - sent, target);
                }
            }
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
