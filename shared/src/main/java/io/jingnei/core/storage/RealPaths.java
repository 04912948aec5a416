package io.jingnei.core.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where a {@code file://} URI really leads once symbolic links are followed: a link inside an allowed
 * folder that points outside it (to {@code /etc}, to a key file) must be refused for reads and writes
 * although its URI looks inside. The allow-list compares real paths on both sides, so an allowed folder
 * that is itself a link (the operator's own set-up) keeps working.
 *
 * <p>A path that does not exist yet (an output being written) resolves through its longest existing
 * part, whose links are followed, plus the names still to be created. A dangling link has no real
 * path and is refused. Blocking file-system calls; the file store is local and synchronous anyway.
 * Checked before the store is called: a link swapped in between check and use is outside this guard
 * (only someone with write access to the folder could do that, and they need no gateway to read it).
 */
final class RealPaths {
    private RealPaths() {
    }

    /** Whether {@code uri} really lies inside {@code prefix} (a folder ending with '/', or one file). */
    static boolean inside(URI uri, String prefix) {
        try {
            Path target = resolved(Paths.get(uri.getPath()));
            boolean folder = prefix.endsWith("/");
            Path declared = Paths.get(URI.create(prefix).getPath());
            // A listed file may be moved or replaced, but not be a link that leaves its folder.
            Path root = folder || declared.getParent() == null ? resolved(declared)
                    : resolved(declared.getParent()).resolve(declared.getFileName());
            return target.startsWith(root);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path resolved(Path path) throws IOException {
        Path existing = path.toAbsolutePath().normalize();
        Path missing = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            Path name = existing.getFileName();
            missing = missing == null ? name : name.resolve(missing);
            existing = existing.getParent();
        }
        if (existing == null) {
            return path.toAbsolutePath().normalize();
        }
        Path real = existing.toRealPath();
        return missing == null ? real : real.resolve(missing);
    }
}
