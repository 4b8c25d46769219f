package org.cxrworkbook.data.phantom;
public class ProfileMain {
    public static void main(String[] a) throws Exception {
        int size = Integer.parseInt(a[0]);
        PhantomGenerator g = PhantomGenerator.builder().images(200).size(size).progress(null).build();
        long t0 = System.nanoTime();
        PhantomPlan plan = g.plan();
        long t1 = System.nanoTime();
        System.out.printf("plan %.2f s%n", (t1 - t0) / 1e9);
        for (int rep = 0; rep < 2; rep++) {
            long r0 = System.nanoTime(); long enc = 0; var mx = java.lang.management.ManagementFactory.getThreadMXBean(); long c0 = mx.getCurrentThreadCpuTime(); long renc = 0;
            for (PlannedImage p : plan.images()) {
                ChestRenderer.Film f = ChestRenderer.render(p, size, Site.A, 42);
                long e0 = System.nanoTime(); long ce0 = mx.getCurrentThreadCpuTime();
                java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
                javax.imageio.ImageIO.write(PhantomGenerator.toImage(f), "png", bos);
                enc += System.nanoTime() - e0; renc += mx.getCurrentThreadCpuTime() - ce0;
            }
            long r1 = System.nanoTime();
            System.out.printf("total %.2f s, encode %.2f s for %d; cpu total %.2f s cpu encode %.2f%n", (r1 - r0) / 1e9, enc / 1e9, plan.images().size(), (mx.getCurrentThreadCpuTime()-c0)/1e9, renc/1e9);
        }
    }
}
