package org.cxrworkbook.data.phantom;

import static org.cxrworkbook.data.phantom.Shapes.smoothstep;

import java.util.SplittableRandom;

/**
 * The attenuation film, {@link Renderer#ATTENUATION}: normal anatomy as attenuation line integrals (soft tissue,
 * bone, aerated lung, a branching vessel tree), then the acquisition: exponential attenuation with a heel-effect
 * gradient, scatter, detector blur (MTF), quantum noise scaled with the detected signal, log transfer, the site's
 * image processing (dynamic-range compression) and 8-bit output.
 */
final class AttenuationRenderer {

    /** Attenuation coefficient scaling the line integrals into exp(-mu * att). */
    private static final double MU = 2.6;
    /** Photons per pixel of a 256² film at the open field and mean exposure (sets the quantum noise). */
    private static final double PHOTONS = 9000;
    /** Amplitude of the anatomical background texture (line-integral units, coarsest octave). */
    private static final double BACKGROUND = 0.04;

    private AttenuationRenderer() {
    }

    /** Fills soft tissue, bone and air of the normal chest (vessels come from {@link VesselTree}). */
    static void drawAnatomy(Anatomy a, Canvas c, PatientTraits p) {
        ValueNoise fine = new ValueNoise(p.textureSeed() ^ 0x5DEECE66DL, 128);
        ValueNoise soft = new ValueNoise(p.textureSeed() ^ 0x2545F4914F6CDD1DL, 64);
        ValueNoise bg2 = new ValueNoise(p.textureSeed() ^ 0x1F83D9ABFB41BD6BL, 32);
        ValueNoise bg3 = new ValueNoise(p.textureSeed() ^ 0x5BE0CD19137E2179L, 64);
        ValueNoise bg4 = new ValueNoise(p.textureSeed() ^ 0x6A09E667F3BCC908L, 128);
        double edge = Math.max(0.006, 1.2 * c.pixel());
        double[] heartSpan = a.heartSpanU();
        double heartTop = a.normalHeartTop;
        double ribSp = a.ribSpacing;
        double breast = p.breast();
        int n = c.size * c.size;
        for (int i = 0; i < n; i++) {
            double u = c.u[i];
            double v = c.v[i];
            double dx = u - Anatomy.MID;
            int side = dx < 0 ? 0 : 1;
            double d = Math.abs(dx);
            // soft tissue: elliptical trunk (chord length through an ellipse), arms at the sides, neck on top
            double hw = Math.min(0.5, 1.1 * a.bodyHalfWidth(v));
            double q = d / hw;
            double q2 = q * q;
            // flattened cross-section (thick chest wall) blended with an ellipse (deeper at the midline)
            double trunk = q < 1 ? 0.4 * Math.sqrt(1 - q2) + 0.6 * Math.sqrt(1 - q2 * q2) : 0;
            trunk *= smoothstep(-0.04, 0.03, v);
            double ad = (d - (hw + 0.045)) / 0.055;
            double arm = ad * ad < 1 ? 0.6 * Math.sqrt(1 - ad * ad) * smoothstep(0.02, 0.12, v) : 0;
            double tissue = trunk + arm;
            if (tissue <= 0) {
                c.dens[i] = 0;
                c.air[i] = 0;
                c.marks[i] = 0;
                continue;
            }
            double dens = 0.55 * trunk + 0.2 * Math.min(trunk * 5, 1) + 0.5 * arm;
            // anatomical background: overlapping fat, muscle, trabecular bone and bowel content vary in thickness on all
            // scales with a power-law spectrum (1/f^3, as measured on mammograms and chest films); octaves of value
            // noise with amplitude falling by 1/sqrt(2) per octave give that slope
            dens += BACKGROUND * Math.min(tissue, 1) * ((bg2.sample(u * 32, v * 32) - 0.5)
                    + 0.707 * (bg3.sample(u * 64, v * 64) - 0.5) + 0.5 * (bg4.sample(u * 128, v * 128) - 0.5));
            // pectoral muscles and axillary folds over the upper lateral chest
            double pect = smoothstep(0.12, 0.3, d) * (1 - smoothstep(0.2, 0.42, v)) * smoothstep(0.08, 0.16, v);
            dens += 0.06 * pect * trunk;
            // breast shadows: soft tissue over the lower zones with a sharper inframammary lower edge
            if (breast > 0) {
                double bu = (d - 0.2) / 0.15;
                double bv = (v - (a.normalDomeBase[side] - 0.05)) / 0.13;
                double rr = bu * bu + bv * bv;
                if (rr < 1.2) {
                    double lower = 1 - smoothstep(-0.02, 0.01, v - (a.normalDomeBase[side] - 0.05 + 0.11 * Math.sqrt(Math.max(0, 1 - bu * bu))));
                    dens += 0.09 * breast * (1 - smoothstep(0.5, 1.1, rr)) * lower * (0.6 + 0.4 * smoothstep(-0.1, 0.6, bv));
                }
            }
            // mediastinum, aortic knob, heart
            // mediastinum: wider than the spine (great vessels, aorta, vena cava) and rounded, so the lung in front of
            // and behind it thins gradually towards the border instead of ending in a step
            double mw = 0.05 + 0.025 * smoothstep(0.1, 0.45, v);
            double medi = (1 - smoothstep(mw - 0.05, mw + 0.03, d)) * smoothstep(0.0, 0.06, v);
            double ku = u - (Anatomy.MID + 0.05);
            double kv = v - (heartTop - 0.09);
            double knob = 1 - smoothstep(0.022 * 0.022, 0.034 * 0.034, ku * ku + kv * kv);
            double heart = (u > heartSpan[0] - 0.05 && u < heartSpan[1] + 0.05) ? a.heart(u, v) : 0;
            // the heart is a rounded body: the lung in front of and behind it thins gradually over its outer part, so
            // the air it displaces rises smoothly towards the silhouette instead of at a step
            double hc = (u > heartSpan[0] - 0.05 && u < heartSpan[1] + 0.05) ? a.heartCover(u, v) : 0;
            double cover = Math.max(hc, Math.max(medi, knob));
            // the heart is the deepest part of the chest: a little more water than the mediastinum around it
            // abdomen under the domes (liver on the image left, stomach and spleen on the right): thick water
            double below = smoothstep(-0.004, 0.03, v - a.dome(side, Math.min(d, a.domeCentreD + a.domeHalfWidth)));
            dens += 0.1 * below * trunk;
            // the heart is the deepest part of the chest: a little more water than the mediastinum, merging into the
            // abdomen where it sits on the diaphragm
            dens += 0.05 * heart * (1 - below);
            // lungs: aerated path length grows like the chord of a rounded lung away from its border
            double inside = a.lungInside(side, d, v);
            double lung = smoothstep(-edge, edge, inside);
            double air = 0;
            double marks = 0;
            if (lung > 0) {
                // laterally the chest wall curves away, so the aerated path grows more slowly from the lateral border
                // than from the medial one (where the lung reaches deep behind the heart and beside the spine)
                double fromWall = a.lateralEdge(side, v) - d;
                double depth = Math.sqrt(Math.min(smoothstep(-0.004, 0.085, inside), smoothstep(-0.004, 0.14, fromWall)));
                air = lung * (1 - cover) * (0.2 + 0.8 * depth) * a.airScale;
                double nf = fine.sample(u * 60, v * 60);
                double ns = soft.sample(u * 14, v * 14);
                marks = a.markScale * (0.035 * (nf - 0.5) + 0.05 * (ns - 0.5));
            }
            // hila: pulmonary arteries and nodes at the lung roots
            double hu = d - 0.085;
            double hv = v - a.hilumV;
            dens += 0.13 * Math.exp(-(hu * hu * 1.4 + hv * hv * 0.45) / (2 * 0.026 * 0.026));
            // trachea and main bronchi
            if (d < 0.06 && v < a.hilumV + 0.02) {
                double tw = v < a.hilumV - 0.07 ? 0.012 : 0.012 + 0.3 * (v - (a.hilumV - 0.07));
                double tc = v < a.hilumV - 0.07 ? 0 : 0.35 * (v - (a.hilumV - 0.07));
                dens -= 0.08 * (1 - smoothstep(tw - 0.005, tw + 0.003, Math.abs(d - tc))) * smoothstep(0.0, 0.06, v);
            }
            // spine: vertebral bodies with end plates and pedicles, visible through the heart
            if (d < 0.06) {
                double ph = (v - 0.01) / 0.043;
                double f = ph - Math.floor(ph);
                double body = (1 - smoothstep(0.026, 0.036, d));
                double plate = smoothstep(0.0, 0.08, f) * (1 - smoothstep(0.82, 0.92, f));
                double ped = Math.exp(-((d - 0.024) * (d - 0.024)) / (2 * 0.005 * 0.005))
                        * Math.exp(-((f - 0.35) * (f - 0.35)) / (2 * 0.12 * 0.12));
                dens += (body * (0.045 + 0.015 * plate) + 0.02 * ped + 0.012 * (1 - smoothstep(0.006, 0.012, d)) * (1 - plate))
                        * smoothstep(0.02, 0.12, v);
            }
            // ribs: posterior (steep arcs from the spine, curving down laterally) and anterior (fainter, sloping down medially)
            double lat = a.lateralEdge(side, v);
            if (d > 0.025 && d < lat + 0.08) {
                double dn = d / 0.33;
                double cv = a.ribStart - 0.02 * dn + 0.16 * dn * dn;
                double phase = (v - cv) / ribSp;
                // ribs fade laterally beyond the chest wall and over the dense abdomen under the domes
                double fade = (1 - smoothstep(lat + 0.01, lat + 0.08, d)) * (1 - 0.6 * below);
                if (phase > 0 && phase < 10) {
                    double f = phase - Math.floor(phase);
                    double w = 0.36 + 0.06 * dn;
                    double rib = smoothstep(0.0, 0.06, f) * (1 - smoothstep(w - 0.06, w, f));
                    double cortex = Math.exp(-(f - 0.03) * (f - 0.03) / 0.0008) + Math.exp(-(f - w + 0.03) * (f - w + 0.03) / 0.0008);
                    dens += (0.06 * rib + 0.035 * cortex) * fade * smoothstep(0.025, 0.05, d);
                }
                double ca = a.ribStart + 0.03 + 0.16 * (1 - dn) * (1 - dn) + 0.05 * (1 - dn);
                double pa = (v - ca) / (ribSp * 1.15);
                if (pa > 0 && pa < 6 && d > 0.06) {
                    double f = pa - Math.floor(pa);
                    double ant = smoothstep(0.0, 0.1, f) * (1 - smoothstep(0.26, 0.36, f));
                    dens += 0.03 * ant * smoothstep(0.06, 0.14, d) * fade;
                }
            }
            // clavicles: S-shaped bone from the manubrium to the shoulder, cortical rim
            if (d > 0.02 && d < 0.36) {
                double t = (d - 0.025) / 0.31;
                double cv = 0.165 - 0.06 * t + 0.018 * Math.sin(Math.PI * t) + 0.4 * (a.apexV - 0.125);
                double dist = Math.abs(v - cv);
                double half = 0.011 - 0.003 * t;
                double bone = (1 - smoothstep(half - 0.003, half + 0.001, dist));
                double rim = Math.exp(-((dist - half) * (dist - half)) / (2 * 0.0022 * 0.0022));
                dens += (0.12 * bone + 0.06 * rim) * smoothstep(0.0, 0.05, t) * (1 - smoothstep(0.92, 1.0, t));
            }
            // scapulae: medial border crossing the upper lateral lung, blade density lateral to it
            if (v > 0.1 && v < 0.46) {
                double sb = lat - 0.085 + 0.12 * (v - 0.1);
                double blade = smoothstep(sb - 0.004, sb + 0.006, d) * smoothstep(0.1, 0.14, v) * (1 - smoothstep(0.38, 0.46, v));
                double border = Math.exp(-((d - sb) * (d - sb)) / (2 * 0.003 * 0.003)) * smoothstep(0.12, 0.16, v) * (1 - smoothstep(0.36, 0.44, v));
                dens += 0.04 * blade + 0.025 * border;
            }
            // gastric bubble under the left hemidiaphragm (image right)
            if (side == 1) {
                double gu = (d - 0.17) / 0.05;
                double gv = (v - (a.domeBase[1] + 0.035)) / 0.025;
                double g = gu * gu + gv * gv;
                if (g < 1.3) {
                    dens -= 0.12 * (1 - smoothstep(0.6, 1.2, g)) * smoothstep(-0.4, 0.2, gv);
                }
            }
            c.dens[i] = (float) dens;
            c.air[i] = (float) air;
            c.marks[i] = (float) marks;
        }
    }

    /**
     * Acquisition and display: detected signal I = heel(y) * exp(-MU * att) + scatter (a broad blur of the
     * primary), detector MTF (Gaussian, about 0.35 mm), quantum noise with variance I / photons, log transfer,
     * dynamic-range compression (subtracting part of a broad blur, as clinical processing does) and a soft
     * window set by the patient's exposure and gain.
     */
    static byte[] develop(Canvas c, float[] normal, double exposure, double gain, double noiseScale, long noiseSeed) {
        int size = c.size;
        int n = size * size;
        float[] sig = primary(c);
        // scatter and the processing's low-pass are taken from the film before the findings were painted, so a
        // finding changes only its own neighbourhood (its box stays honest); a simplification of real scatter
        float[] scatter = Blur.broad(normal, size, 0.09);
        float[] lowIn = new float[n];
        for (int i = 0; i < n; i++) {
            lowIn[i] = (float) -Math.log(Math.max(normal[i] + 0.22 * scatter[i], 1e-4));
            sig[i] += 0.22 * scatter[i];
        }
        float[] low = Blur.broad(lowIn, size, 0.06);
        Blur.gaussian(sig, size, Math.max(0.45, 0.35 / (360.0 / size)));
        SplittableRandom r = new SplittableRandom(noiseSeed);
        // photons per pixel: fewer on smaller pixels (a 1024² film has a sixteenth of a 256² film's per pixel, so
        // both show the same grain once shown at one size), more with more exposure (a darker film: mid rises with
        // it), fewer at a noisier site
        double photons = PHOTONS * (256.0 / size) * (256.0 / size) * Math.exp(2.0 * exposure) / (noiseScale * noiseScale);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            double s = sig[i];
            long bits = r.nextLong();
            double g = ((bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48) - 2 * 65536.0)
                    * (1.7320508 / 65536.0);
            s += g * Math.sqrt(s / photons);
            p[i] = (float) -Math.log(Math.max(s, 1e-4));
        }
        double compress = 0.3;
        byte[] out = new byte[n];
        double mid = 1.1 + 0.6 * exposure;
        double slope = 0.22 * gain;
        for (int i = 0; i < n; i++) {
            double e = p[i] - compress * (low[i] - mid);
            double b = 1 / (1 + Math.exp(-slope * 2.2 * (e - mid)));
            int px = (int) Math.round(255 * (1.08 * b - 0.04));
            out[i] = (byte) (px < 0 ? 0 : (px > 255 ? 255 : px));
        }
        return out;
    }

    /** Primary signal heel(y) * exp(-MU * attenuation) of the canvas as drawn so far. */
    static float[] primary(Canvas c) {
        int size = c.size;
        float[] sig = new float[size * size];
        for (int y = 0; y < size; y++) {
            double heel = 1.08 - 0.16 * (y + 0.5) / size;    // anode at the top: less intensity towards the feet
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                sig[i] = (float) (heel * Math.exp(-MU * Math.max(c.lineIntegral(i), 0)));
            }
        }
        return sig;
    }
}
