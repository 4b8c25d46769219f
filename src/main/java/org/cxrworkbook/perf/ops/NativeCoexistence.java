package org.cxrworkbook.perf.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Whether oneDNN (JavaCPP's {@code libdnnl.so.2}) and ND4J ({@code libnd4jcpu.so}, which carries its own oneDNN and
 * libgomp) live side by side in this process: which copies of the OpenMP runtime are mapped, and which threads burn
 * CPU while each library works, read from /proc (Linux only).
 */
final class NativeCoexistence {

    private NativeCoexistence() {
    }

    /** Mapped shared objects whose file name starts with one of {@code prefixes}, by path. */
    static Set<String> mapped(String... prefixes) {
        Set<String> found = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                String path = line.substring(slash).trim();
                String file = path.substring(path.lastIndexOf('/') + 1);
                for (String p : prefixes) {
                    if (file.startsWith(p)) {
                        found.add(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/maps", e);
        }
        return found;
    }

    /** CPU time (clock ticks, user + system) of every thread of this process, by thread id. */
    static Map<Integer, Long> threadTicks() {
        Map<Integer, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields after "pid (comm) ": state is f[0], utime is field 14 → f[11], stime f[12]
                    ticks.put(Integer.parseInt(t.getFileName().toString()),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between list and read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task", e);
        }
        return ticks;
    }

    /** The name the kernel knows thread {@code tid} by ({@code /proc/self/task/TID/comm}), e.g. "java", "GC Thread#0". */
    static String threadName(int tid) {
        try {
            return Files.readString(Path.of("/proc/self/task", String.valueOf(tid), "comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Runs {@code work} and returns, for each thread that used at least a tenth of the busiest thread's CPU time
     * meanwhile, its id and ticks.
     */
    static Map<Integer, Long> busyThreads(Runnable work) {
        Map<Integer, Long> before = threadTicks();
        work.run();
        Map<Integer, Long> after = threadTicks();
        Map<Integer, Long> delta = new LinkedHashMap<>();
        long max = 0;
        for (Map.Entry<Integer, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            delta.put(e.getKey(), d);
            max = Math.max(max, d);
        }
        long floor = Math.max(1, max / 10);
        delta.values().removeIf(d -> d < floor);
        return delta;
    }
}
