package org.cxrworkbook.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.cxrworkbook.data.AtomicFiles;
import org.cxrworkbook.data.OutputException;

/**
 * One writer per work folder: a lock file {@value #FILE} in the folder holds the writer's process id, its start time,
 * host and command. A second run into the same folder is refused naming the holder; a lock left by a process that is
 * gone (killed, crashed) is taken over with one line saying so. Within one JVM the lock is re-entrant (the CLI and the
 * recipe it calls may both take it).
 */
public final class WorkLock implements AutoCloseable {

    /** The lock file's name inside the work folder. */
    public static final String FILE = ".cxr-lock";

    private static final Map<Path, Integer> HELD = new HashMap<>();

    private final Path folder;
    private boolean closed;

    private WorkLock(Path folder) {
        this.folder = folder;
    }

    /** Takes the lock of {@code workDir} for {@code command}, printing a take-over of a stale lock to stderr. */
    public static WorkLock acquire(Path workDir, String command) {
        return acquire(workDir, command, System.err::println);
    }

    /**
     * Takes the lock of {@code workDir} (created if missing; refused if it cannot be written) for {@code command};
     * {@code log} gets the one line about a stale lock taken over. Throws {@link SettingException} naming the folder
     * and the holder when another live process holds it.
     */
    public static WorkLock acquire(Path workDir, String command, Consumer<String> log) {
        Path folder = workDir.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(folder)) {
                HELD.merge(folder, 1, Integer::sum);
                return new WorkLock(folder);
            }
            AtomicFiles.requireWritableFolder(folder, "the work folder");
            Path lock = folder.resolve(FILE);
            String mine = content(command);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (create(lock, mine)) {
                    HELD.put(folder, 1);
                    return new WorkLock(folder);
                }
                Optional<Holder> holder = read(lock);
                if (holder.isEmpty()) {
                    continue; // released between our attempt and the read
                }
                Holder h = holder.get();
                if (h.alive()) {
                    throw new SettingException("work folder", "work folder " + folder + " is in use by another run: "
                            + h.describe() + " holds " + lock + ". Wait for it to finish, or give another work folder"
                            + " (--work / CXR_WORK_DIR)" + (h.sameHost() ? "" : "; if that run is over, delete " + lock));
                }
                log.accept("taking over the stale lock of " + folder + ": " + h.describe() + " is no longer running");
                try {
                    Files.deleteIfExists(lock);
                } catch (IOException e) {
                    throw new OutputException("cannot remove the stale lock " + lock + ": " + e.getMessage(), e);
                }
            }
            throw new SettingException("work folder", "could not take the lock " + lock + " after 3 attempts: another "
                    + "run keeps taking it; give another work folder");
        }
    }

    /** Releases the lock (the last release in this JVM deletes the file). */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            int left = HELD.merge(folder, -1, Integer::sum);
            if (left > 0) {
                return;
            }
            HELD.remove(folder);
            Path lock = folder.resolve(FILE);
            if (read(lock).map(h -> h.pid() == ProcessHandle.current().pid()).orElse(false)) {
                try {
                    Files.deleteIfExists(lock);
                } catch (IOException e) {
                    System.err.println("WARNING: could not remove the lock " + lock + ": " + e.getMessage());
                }
            }
        }
    }

    /** Creates the lock file with its whole content at once (a hard link to a complete temporary file). */
    private static boolean create(Path lock, String content) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(lock.getParent(), FILE + ".", ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            try {
                Files.createLink(lock, tmp);
            } catch (UnsupportedOperationException e) {
                Files.writeString(lock, content, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new OutputException("cannot create the lock " + lock + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a left-over temporary file does not hold the lock
                }
            }
        }
    }

    private static String content(String command) {
        ProcessHandle me = ProcessHandle.current();
        return "pid=" + me.pid() + "\nstarted=" + me.info().startInstant().map(Instant::toString).orElse("") + "\nhost="
                + host() + "\ncommand=" + command + "\n";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "";
        }
    }

    /** The holder recorded in a lock file, empty when the file is gone. */
    static Optional<Holder> read(Path lock) {
        String text;
        try {
            text = Files.readString(lock, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new OutputException("cannot read the lock " + lock + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        long pid;
        try {
            pid = Long.parseLong(m.getOrDefault("pid", ""));
        } catch (NumberFormatException e) {
            pid = -1; // unreadable: treated as stale
        }
        return Optional.of(new Holder(pid, m.getOrDefault("started", ""), m.getOrDefault("host", ""),
                m.getOrDefault("command", "")));
    }

    /** The process recorded in a lock file. */
    record Holder(long pid, String started, String host, String command) {

        boolean sameHost() {
            return host.isEmpty() || host.equals(host());
        }

        /**
         * True when that process still runs: same host, the pid exists and (when both are known) started at the
         * recorded time, so a recycled pid does not keep a stale lock alive. On another host it cannot be checked
         * and counts as alive.
         */
        boolean alive() {
            if (!sameHost()) {
                return true;
            }
            if (pid <= 0) {
                return false;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isEmpty() || !p.get().isAlive()) {
                return false;
            }
            Optional<Instant> start = p.get().info().startInstant();
            return started.isEmpty() || start.isEmpty() || start.get().toString().equals(started);
        }

        String describe() {
            return "pid " + (pid > 0 ? pid : "?") + (command.isEmpty() ? "" : " (" + command + ")")
                    + (started.isEmpty() ? "" : ", started " + started) + (sameHost() ? "" : " on host " + host);
        }
    }
}
