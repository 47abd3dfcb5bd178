package dev.scimserver.app;

/** The process was asked to stop (SIGTERM) while the server started; the start's failure that followed. */
final class StoppedWhileStartingException extends RuntimeException {
    StoppedWhileStartingException(RuntimeException failure) {
        super("the process was asked to stop while the server started", failure);
    }
}
