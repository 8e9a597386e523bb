package io.mcpgw.server.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Tells, when asked at an interval, whether files changed and have settled. Their content is compared, not
 * timestamps or file events, so an editor's temporary files, a ConfigMap's symlink swap or a touch without a
 * change do the right thing. A change counts once it has settled (read alike twice, an interval apart): a file
 * caught while it is written, truncated and still empty, must not be taken for its new content. Not thread-safe:
 * one watching thread asks.
 */
public final class SettledChange {

    private final List<Path> files;
    private byte[] applied;
    private byte[] changed;

    /** Starts from the files' content now. */
    public SettledChange(List<Path> files) {
        this.files = List.copyOf(files);
        this.applied = digest();
    }

    /** Whether the content differs from the last settled one and read alike the time before; it is then the settled one. */
    public boolean check() {
        byte[] now = digest();
        if (now == null || Arrays.equals(now, applied)) {
            changed = null;
            return false;
        }
        if (!Arrays.equals(now, changed)) {
            changed = now;
            return false;
        }
        applied = now;
        changed = null;
        return true;
    }

    /** The hash of every file's content in turn; null while one cannot be read (e.g. between a delete and a re-create). */
    private byte[] digest() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                digest.update(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            }
            return digest.digest();
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
