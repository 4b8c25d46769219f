package org.cxrworkbook.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void lineShowsCountRateEtaAndElapsed() {
        ProgressBar bar = new ProgressBar(null, "phantom", 1200, "images");
        // 600 of 1200 images in 20 s: 30 img/s, 20 s left
        assertEquals("phantom [############............] 600/1200  30.00 img/s  ETA 0:20  0:20 elapsed",
                bar.line(600, 600, "", 20.0));
        ProgressBar open = new ProgressBar(null, "epoch 2/5", 0, "batches");
        assertEquals("epoch 2/5 7 batches loss 0.5000  28.00 img/s  0:02 elapsed", open.line(7, 56, "loss 0.5000", 2.0));
        assertEquals("1:01:05", ProgressBar.clock(3665));
        assertEquals("0:59", ProgressBar.clock(59.4));
    }

    /** Steps from several threads all count; the output is one line redrawn with \r and ended once. */
    @Test
    void concurrentStepsEndInOneFinishedLine() throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressBar bar = new ProgressBar(out, "phantom", 400, "images");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    bar.step();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        bar.finish("done");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
        assertTrue(text.endsWith("\n"), text);
        String last = text.substring(text.lastIndexOf('\r') + 1).strip();
        assertTrue(last.startsWith("phantom [########################] 400/400  "), last);
        assertTrue(last.endsWith(" elapsed  done"), last);
        // throttled to 4 redraws a second, plus the one at 400/400 and the final one
        long redraws = text.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 2 && redraws < 20, redraws + " redraws");
    }

    @Test
    void silentWithoutAStream() {
        ProgressBar bar = new ProgressBar(null, "x", 2, "images");
        bar.step();
        bar.step();
        bar.finish("");
        assertEquals("x [########################] 2/2  0.00 img/s  0:00 elapsed", bar.line(2, 2, "", 0));
    }
}
