package org.cxrworkbook.data.phantom;

import java.util.EnumMap;
import java.util.Map;
import org.cxrworkbook.data.Finding;

/**
 * An acquisition site (domain): the same anatomy and findings, but a different detector look
 * (exposure, contrast, noise, sharpness), view mix and case mix. Pretrain on A, fine-tune on B.
 */
public enum Site {
    /** Outpatient-like department: mostly PA films, NIH's case mix, clean detector. */
    A(0.0, 1.0, 1.0, 0.60, 0, Map.of()),
    /** Ward/ICU-like department: mostly AP portable films, darker and noisier, lower contrast, sicker case mix. */
    B(0.35, 0.82, 1.7, 0.30, 50_000, Map.of(
            Finding.EFFUSION, 1.6, Finding.EDEMA, 2.0, Finding.CARDIOMEGALY, 1.5, Finding.ATELECTASIS, 1.3,
            Finding.PNEUMOTHORAX, 1.3, Finding.CONSOLIDATION, 1.3, Finding.INFILTRATION, 0.8,
            Finding.NODULE, 0.6, Finding.MASS, 0.7, Finding.EMPHYSEMA, 0.8));

    private final double exposureShift;
    private final double contrast;
    private final double noise;
    private final double paFraction;
    private final int patientIdOffset;
    private final Map<Finding, Double> prevalenceFactors;

    Site(double exposureShift, double contrast, double noise, double paFraction, int patientIdOffset,
         Map<Finding, Double> prevalenceFactors) {
        this.exposureShift = exposureShift;
        this.contrast = contrast;
        this.noise = noise;
        this.paFraction = paFraction;
        this.patientIdOffset = patientIdOffset;
        this.prevalenceFactors = prevalenceFactors.isEmpty() ? Map.of() : new EnumMap<>(prevalenceFactors);
    }

    /** Shift of the film's characteristic curve (positive = darker film). */
    public double exposureShift() {
        return exposureShift;
    }

    /** Multiplier of the film gradient (below 1 = flatter, greyer images). */
    public double contrast() {
        return contrast;
    }

    /** Multiplier of the quantum noise amplitude. */
    public double noise() {
        return noise;
    }

    /** Fraction of PA films (the rest are AP, which magnify the heart by about 6 %). */
    public double paFraction() {
        return paFraction;
    }

    /** Added to patient numbers, so ids of the two sites never collide. */
    public int patientIdOffset() {
        return patientIdOffset;
    }

    /** Multiplier of a finding's NIH prevalence at this site (1 when not listed). */
    public double prevalenceFactor(Finding f) {
        return prevalenceFactors.getOrDefault(f, 1.0);
    }
}
