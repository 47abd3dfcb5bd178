package dev.scimserver.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The unprivileged {@code nobody} that runs the embedded PostgreSQL when this server runs as root,
 * because PostgreSQL refuses to run as root. It owns the cluster directory and must be able to
 * enter every directory on the way to it.
 */
final class ServiceUser {
    static final String NAME = "nobody";

    /** Its primary group: "nogroup" on Debian, "nobody" elsewhere. */
    private final String group;

    private ServiceUser(String group) {
        this.group = group;
    }

    static ServiceUser lookUp() {
        try {
            Process id = new ProcessBuilder("id", "-gn", NAME).redirectErrorStream(true).start();
            String group = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (id.waitFor() != 0 || group.isEmpty()) {
                throw new IllegalStateException("running as root needs the user '" + NAME
                        + "' to run PostgreSQL, and it has no group: " + group);
            }
            return new ServiceUser(group);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What runs a command as this user instead of root. */
    List<String> commandPrefix() {
        return List.of("setpriv", "--reuid=" + NAME, "--regid=" + group, "--clear-groups", "--");
    }

    void give(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName(NAME));
        Files.getFileAttributeView(path, PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName(group));
    }

    /**
     * Refuses a cluster another user owns (a copy restored without keeping owners): PostgreSQL, run as
     * this user, could not read it, and would say so only at the end of its log.
     */
    void checkOwns(Path cluster) throws IOException {
        String owner = Files.getOwner(cluster).getName();
        if (!owner.equals(NAME)) {
            throw new StartRefusedException("the embedded PostgreSQL runs as '" + NAME + "', and its cluster "
                    + cluster + " belongs to " + owner + " (a copy that did not keep owners? cp -a keeps them): "
                    + "give it back with chown -R " + NAME + ":" + group + " " + cluster);
        }
    }

    /**
     * Refuses, naming each directory and the permission it lacks, a {@code dataDir} this user could
     * not enter. There is no way around the refusal that we would take for the user: PostgreSQL
     * opens its cluster by path, so the cluster in {@code dataDir} needs every directory above it
     * open to {@code nobody}, and only the operator may decide to open their directories or move
     * DATA_DIR. (Capabilities such as CAP_DAC_READ_SEARCH would get through, but would let the
     * database superuser read every file of the machine.) Checked before anything is unpacked, as
     * otherwise the first symptom is the dynamic loader's "libicuuc.so: cannot open shared object
     * file", which names neither.
     */
    void checkCanEnter(Path dataDir) throws IOException {
        List<String> closed = new ArrayList<>();
        for (Path directory : pathTo(dataDir)) {
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class);
            PosixFilePermission search = searchPermissionFor(attributes);
            if (!attributes.permissions().contains(search)) {
                closed.add(directory + " (mode " + octal(attributes.permissions()) + ", owner "
                        + attributes.owner().getName() + "): chmod " + who(search) + "+x " + directory);
            }
        }
        if (!closed.isEmpty()) {
            throw new StartRefusedException("DATA_DIR " + dataDir + " is out of reach of the user '" + NAME
                    + "', which runs the embedded PostgreSQL because this server runs as root and PostgreSQL "
                    + "refuses root. '" + NAME + "' needs search permission (x) on every directory on the way: "
                    + String.join("; ", closed) + ". Or choose a DATA_DIR that '" + NAME + "' can reach, or run "
                    + "the server as a user other than root.");
        }
    }

    /** Every directory from the root down to {@code dir}, along the path as given and along its real path. */
    private static Set<Path> pathTo(Path dir) throws IOException {
        Set<Path> directories = new LinkedHashSet<>();
        for (Path path : List.of(dir.toAbsolutePath().normalize(), dir.toRealPath())) {
            Path walked = path.getRoot();
            directories.add(walked);
            for (Path name : path) {
                walked = walked.resolve(name);
                directories.add(walked);
            }
        }
        return directories;
    }

    /** The kernel checks the owner's bits for the owner, else the group's for the group, else the others'. */
    private PosixFilePermission searchPermissionFor(PosixFileAttributes attributes) {
        if (attributes.owner().getName().equals(NAME)) {
            return PosixFilePermission.OWNER_EXECUTE;
        }
        if (attributes.group().getName().equals(group)) {
            return PosixFilePermission.GROUP_EXECUTE;
        }
        return PosixFilePermission.OTHERS_EXECUTE;
    }

    private static String who(PosixFilePermission search) {
        return switch (search) {
            case OWNER_EXECUTE -> "u";
            case GROUP_EXECUTE -> "g";
            default -> "o";
        };
    }

    private static String octal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 0400 >> permission.ordinal();
        }
        return String.format("%04o", mode);
    }
}
