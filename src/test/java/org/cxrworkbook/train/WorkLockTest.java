package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cxrworkbook.data.OutputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per work folder: a live holder refuses the second run by pid, a dead one's lock is taken over. */
class WorkLockTest {

    @TempDir
    Path dir;

    private Process other;

    @AfterEach
    void stopOther() throws Exception {
        if (other != null) {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Another process on this machine, standing in for a second training run. */
    private ProcessHandle startOther() throws Exception {
        other = new ProcessBuilder("sleep", "120").start();
        return other.toHandle();
    }

    private static void writeLock(Path work, long pid, String started) throws Exception {
        Files.createDirectories(work);
        Files.writeString(work.resolve(WorkLock.FILE), "pid=" + pid + "\nstarted=" + started + "\nhost="
                + java.net.InetAddress.getLocalHost().getHostName() + "\ncommand=cxr train\n");
    }

    @Test
    void aLiveHolderRefusesTheSecondRunNamingFolderAndPid() throws Exception {
        Path work = dir.resolve("work");
        ProcessHandle holder = startOther();
        String started = holder.info().startInstant().orElseThrow().toString();
        writeLock(work, holder.pid(), started);

        SettingException e = assertThrows(SettingException.class, () -> WorkLock.acquire(work, "test", s -> { }));
        assertTrue(e.getMessage().startsWith("work folder " + work + " is in use by another run: pid " + holder.pid()
                + " (cxr train), started "), e.getMessage());
        assertTrue(e.getMessage().contains("--work / CXR_WORK_DIR"), e.getMessage());
        assertTrue(Files.readString(work.resolve(WorkLock.FILE)).contains("pid=" + holder.pid()), "the holder's lock is untouched");

        other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        List<String> log = new ArrayList<>();
        try (WorkLock lock = WorkLock.acquire(work, "test", log::add)) {
            assertEquals(List.of("taking over the stale lock of " + work + ": pid " + holder.pid() + " (cxr train), started "
                    + started + " is no longer running"), log);
            assertTrue(Files.readString(work.resolve(WorkLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
        }
        assertFalse(Files.exists(work.resolve(WorkLock.FILE)), "released on close");
    }

    @Test
    void aRecycledPidWithAnotherStartTimeIsStale() throws Exception {
        Path work = dir.resolve("work");
        ProcessHandle alive = startOther();
        writeLock(work, alive.pid(), "2001-01-01T00:00:00Z");
        List<String> log = new ArrayList<>();
        try (WorkLock lock = WorkLock.acquire(work, "test", log::add)) {
            assertEquals(1, log.size(), log.toString());
            assertTrue(log.get(0).endsWith("is no longer running"), log.get(0));
        }
    }

    @Test
    void reentrantWithinOneProcessAndReleasedByTheLastClose() throws Exception {
        Path work = dir.resolve("work");
        try (WorkLock outer = WorkLock.acquire(work, "cli", s -> { })) {
            try (WorkLock inner = WorkLock.acquire(work, "recipe", s -> { })) {
                assertTrue(Files.exists(work.resolve(WorkLock.FILE)));
            }
            assertTrue(Files.exists(work.resolve(WorkLock.FILE)), "still held by the outer run");
        }
        assertFalse(Files.exists(work.resolve(WorkLock.FILE)));
        try (var files = Files.list(work)) {
            assertEquals(List.of(), files.toList(), "no temporary file left");
        }
    }

    @Test
    void aWorkFolderThatCannotBeCreatedIsNamedBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Path work = file.resolve("work");
        OutputException e = assertThrows(OutputException.class, () -> WorkLock.acquire(work, "test", s -> { }));
        assertTrue(e.getMessage().startsWith("cannot write into the work folder " + work.toAbsolutePath() + ": "),
                e.getMessage());
        assertTrue(e.getMessage().contains("checked before starting"), e.getMessage());
    }
}
