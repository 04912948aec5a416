package io.jingnei.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A function code package (zip: classes at the root, jars under lib/) unpacked and loaded the way
 * the FC and SCF Java runtimes load it: in a class loader of its own, apart from the test's.
 */
public final class CodePackage {
    public final Path root;

    private CodePackage(Path root) {
        this.root = root;
    }

    /** A package already unpacked (by {@link #unzip}) at {@code root}. */
    public static CodePackage at(Path root) {
        return new CodePackage(root);
    }

    public static CodePackage unzip(Path zip) throws IOException {
        Path root = Files.createTempDirectory("code-package-");
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = root.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        return new CodePackage(root);
    }

    /** A fresh loader, as a new function instance has; its parent sees only the JDK. */
    public ClassLoader newLoader() throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(root.toUri().toURL());
        for (Path jar : jars()) {
            urls.add(jar.toUri().toURL());
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    public List<Path> jars() throws IOException {
        Path lib = root.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    /**
     * Breaks the package as a bad build or a truncated upload would: every jar in it (at any depth)
     * that holds an entry ending with {@code suffix} is rewritten without it. Returns the entries removed.
     */
    public List<String> removeFromJars(String suffix) throws IOException {
        List<String> removed = new ArrayList<>();
        List<Path> all;
        try (Stream<Path> files = Files.walk(root)) {
            all = files.filter(p -> p.toString().endsWith(".jar")).collect(java.util.stream.Collectors.toList());
        }
        for (Path jar : all) {
            Path copy = jar.resolveSibling(jar.getFileName() + ".rewritten");
            boolean changed = false;
            try (ZipFile in = new ZipFile(jar.toFile());
                 java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
                for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                    if (entry.getName().endsWith(suffix)) {
                        removed.add(jar.getFileName() + "!" + entry.getName());
                        changed = true;
                        continue;
                    }
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            if (changed) {
                Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(copy);
            }
        }
        return removed;
    }

    /** Every class name in the package whose class file is newer than {@code maxMajor}, skipping multi-release entries for later JDKs. */
    public List<String> classesNewerThan(int maxMajor) throws IOException {
        List<String> newer = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                if (major(Files.readAllBytes(file)) > maxMajor) {
                    newer.add(root.relativize(file).toString());
                }
            }
        }
        for (Path jar : jars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : java.util.Collections.list(file.entries())) {
                    if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/versions/")) {
                        try (InputStream in = file.getInputStream(entry)) {
                            if (major(in.readNBytes(8)) > maxMajor) {
                                newer.add(jar.getFileName() + "!" + entry.getName());
                            }
                        }
                    }
                }
            }
        }
        return newer;
    }

    /** Entry names in the package and its jars containing {@code fragment}. */
    public List<String> entriesContaining(String fragment) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.map(p -> root.relativize(p).toString()).filter(n -> n.contains(fragment)).forEach(found::add);
        }
        for (Path jar : jars()) {
            if (jar.getFileName().toString().contains(fragment)) {
                found.add(jar.getFileName().toString());
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                for (JarEntry entry : java.util.Collections.list(file.entries())) {
                    if (entry.getName().contains(fragment)) {
                        found.add(jar.getFileName() + "!" + entry.getName());
                    }
                }
            }
        }
        return found;
    }

    private static int major(byte[] header) {
        return ((header[6] & 0xff) << 8) | (header[7] & 0xff);
    }
}
