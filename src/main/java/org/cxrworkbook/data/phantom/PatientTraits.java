package org.cxrworkbook.data.phantom;

import java.util.SplittableRandom;

/**
 * Constants of one phantom patient, shared by all of their follow-up films: body build, baseline heart
 * size, positioning, exposure, breast shadows and the seed of their lung texture and vessel tree.
 */
record PatientTraits(int patientNumber, int age, String gender, double build, double lungHeight,
                     double heartRatio, double rotationDeg, double shiftX, double shiftY, double zoom,
                     double exposure, double gain, double diaphragmOffset, double ribSpacing, double heartLeftShare,
                     double heartHeight, double heartShiftV, long textureSeed, double breast) {

    /** Draws the traits of a patient from the patient's own random stream. */
    static PatientTraits draw(int patientNumber, SplittableRandom r) {
        int age = (int) Shapes.clamp(Math.round(47 + 16.5 * gauss(r)), 2, 94);
        String gender = r.nextDouble() < 0.565 ? "M" : "F";
        double build = Shapes.clamp(1 + 0.05 * gauss(r), 0.88, 1.12);
        double lungHeight = Shapes.clamp(1 + 0.05 * gauss(r), 0.88, 1.12);
        double heartRatio = 0.38 + 0.115 * Math.sqrt(r.nextDouble()); // normal cardiothoracic ratio 0.38-0.495, more near the top
        double rotation = Shapes.clamp(1.6 * gauss(r), -4, 4);
        double shiftX = 0.022 * gauss(r);
        double shiftY = 0.022 * gauss(r);
        double zoom = 0.92 + 0.14 * r.nextDouble();
        double exposure = 0.08 * gauss(r);
        double gain = 3.8 + 1.8 * r.nextDouble();
        double diaphragm = 0.025 * gauss(r);
        double ribSpacing = 0.056 + 0.006 * r.nextDouble();
        return new PatientTraits(patientNumber, age, gender, build, lungHeight, heartRatio, rotation, shiftX, shiftY,
                zoom, exposure, gain, diaphragm, ribSpacing, 0.3 + 0.12 * r.nextDouble(), 0.88 + 0.24 * r.nextDouble(),
                0.02 * gauss(r), r.nextLong(), breast(gender, age, r));
    }

    /** Breast soft-tissue thickness: most adult women (0.5..1), nobody else (0); drawn last so the other traits keep their draws. */
    private static double breast(String gender, int age, SplittableRandom r) {
        double u = r.nextDouble();
        double size = r.nextDouble();
        return "F".equals(gender) && age >= 16 && u < 0.8 ? 0.5 + 0.5 * size : 0;
    }

    private static double gauss(SplittableRandom r) {
        // Irwin-Hall approximation: sum of 4 uniforms, scaled to unit variance (fast, bounded by +-3.46)
        return (r.nextDouble() + r.nextDouble() + r.nextDouble() + r.nextDouble() - 2) * 1.7320508;
    }
}
