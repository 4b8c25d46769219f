package org.cxrworkbook.data.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cxrworkbook.data.BoundingBox;

/**
 * Draws one phantom frontal chest film with the chosen {@link Renderer}: normal anatomy, then the planned
 * findings, then the film response, noise and 8-bit quantisation.
 */
final class ChestRenderer {

    /** A rendered film: 8-bit grey pixels (row-major) and the boxes of its localisable findings. */
    record Film(int size, byte[] pixels, List<BoundingBox> boxes, double heartRatio) {
    }

    private ChestRenderer() {
    }

    /** Renders a planned image at the given size for a site (deterministic in the plan's seeds). */
    static Film render(PlannedImage plan, int size, Site site, long seed, Renderer renderer) {
        PatientTraits p = plan.traits();
        SplittableRandom r = Seeds.rng(seed, 1, plan.imageNumber());
        double inspiration = 0.012 * (r.nextDouble() * 2 - 1);
        boolean ap = "AP".equals(plan.viewPosition());
        Anatomy a = Anatomy.of(p, inspiration, ap);
        Canvas c = new Canvas(size, p.rotationDeg() + 0.6 * (r.nextDouble() * 2 - 1), p.zoom(),
                p.shiftX() + 0.006 * (r.nextDouble() * 2 - 1), p.shiftY() + 0.006 * (r.nextDouble() * 2 - 1));
        long noiseSeed = Seeds.mix(seed, 2, plan.imageNumber());
        if (renderer == Renderer.CLASSIC) {
            LesionPainter lesions = new LesionPainter(plan, a, c, seed, r, renderer);
            lesions.adjustAnatomy();
            ClassicRenderer.drawAnatomy(a, c, p.textureSeed());
            List<BoundingBox> boxes = new ArrayList<>(lesions.paint());
            double exposure = p.exposure() + 0.02 * (r.nextDouble() * 2 - 1) + 0.15 * site.exposureShift();
            double gain = p.gain() * site.contrast();
            byte[] pixels = ClassicRenderer.develop(c, 0.5 + exposure, gain, 0.016 * site.noise(), noiseSeed);
            return new Film(size, pixels, List.copyOf(boxes), a.heartRatio);
        }
        a.rounded = true;
        LesionPainter lesions = new LesionPainter(plan, a, c, seed, r, renderer);
        lesions.adjustAnatomy();
        AttenuationRenderer.drawAnatomy(a, c, p);
        VesselTree.draw(a, c, p.textureSeed());
        float[] normal = AttenuationRenderer.primary(c);
        List<BoundingBox> boxes = new ArrayList<>(lesions.paint());
        double exposure = p.exposure() + 0.02 * (r.nextDouble() * 2 - 1) + 0.15 * site.exposureShift();
        double gain = p.gain() * site.contrast();
        byte[] pixels = AttenuationRenderer.develop(c, normal, exposure, gain, site.noise(), noiseSeed);
        return new Film(size, pixels, List.copyOf(boxes), a.heartRatio);
    }
}
