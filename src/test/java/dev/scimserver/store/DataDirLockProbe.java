package dev.scimserver.store;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Run in a child JVM: exits 0 when it gets the lock on the file its argument names, 3 when it does not. */
public final class DataDirLockProbe {
    private DataDirLockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            System.exit(lock == null ? 3 : 0);
        }
    }
}
