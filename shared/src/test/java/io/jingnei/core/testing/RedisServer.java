package io.jingnei.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's package; .ci/run installs it) on a free loopback port, for tests of
 * shared limits and cache. It keeps an append-only file in its own folder, so a restart on the same
 * port resumes the counts it had; {@link #kill()} is a SIGKILL, as a crash would be.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServer start() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            RedisServer server = new RedisServer(port, Files.createTempDirectory("jingnei-redis-"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public int port() {
        return port;
    }

    private void launch() throws IOException {
        String binary = Files.isExecutable(Paths.get("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
        process = new ProcessBuilder(List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "redis.log")).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited: is Debian's redis-server installed? (.ci/run installs it) "
                            + Files.readString(dir.resolve("redis.log")));
                }
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + port + " within 10 s");
    }

    /** SIGKILL, as a crash or a failover would look from the functions. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGSTOP: the process stays, the kernel still accepts connections on its port, and nothing is
     * ever answered, as a hung or overloaded Redis looks. {@link #resume()} undoes it.
     */
    public void freeze() {
        signal("-STOP");
    }

    public void resume() {
        signal("-CONT");
    }

    private void signal(String which) {
        try {
            // the shell's own kill: a fresh machine may have no kill binary (procps)
            new ProcessBuilder("sh", "-c", "kill " + which + " " + process.pid()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts again on the same port with the same append-only file. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
