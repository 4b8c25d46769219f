package org.cxrworkbook.data.phantom;

import static org.cxrworkbook.data.phantom.Shapes.smoothstep;

import java.util.SplittableRandom;

/**
 * Today's (default) phantom film, {@link Renderer#CLASSIC}: the normal chest as analytic shapes summed into density,
 * air and markings, then a sigmoid characteristic curve, additive noise and 8-bit output. Kept unchanged so the
 * default output stays byte-identical to the sets the pretrained base and the recorded runs were made with.
 */
final class ClassicRenderer {

    /** Attenuation removed by fully aerated lung. */
    static final double AIR_DEPTH = 0.5;

    private ClassicRenderer() {
    }

    /** Fills density, air and markings of the normal chest. */
    static void drawAnatomy(Anatomy a, Canvas c, long textureSeed) {
        ValueNoise vessels = new ValueNoise(textureSeed, 64);
        ValueNoise fine = new ValueNoise(textureSeed ^ 0x5DEECE66DL, 128);
        double edge = Math.max(0.006, 1.2 * c.pixel());
        double[] heartSpan = a.heartSpanU();
        double heartTop = a.heartCentreV - a.heartHalfHeight;
        double ribSp = a.ribSpacing;
        int n = c.size * c.size;
        for (int i = 0; i < n; i++) {
            double u = c.u[i];
            double v = c.v[i];
            double dx = u - Anatomy.MID;
            int side = dx < 0 ? 0 : 1;
            double d = Math.abs(dx);
            // body: elliptical cross-section, thicker at the midline
            double hw = a.bodyHalfWidth(v);
            double q = d / hw;
            double body = q < 1 ? Math.sqrt(1 - q * q) : 0;
            body *= smoothstep(-0.03, 0.02, v);
            double dens = 0.62 * body + 0.22 * Math.min(body * 4, 1);
            if (body <= 0) {
                c.dens[i] = 0;
                c.air[i] = 0;
                c.marks[i] = 0;
                continue;
            }
            // mediastinum, aortic knob, heart
            double mw = 0.042 + 0.02 * smoothstep(0.1, 0.45, v);
            double medi = (1 - smoothstep(mw - 0.008, mw + 0.008, d)) * smoothstep(0.0, 0.06, v);
            double ku = u - (Anatomy.MID + 0.05);
            double kv = v - (heartTop - 0.09);
            double knob = 1 - smoothstep(0.022 * 0.022, 0.032 * 0.032, ku * ku + kv * kv);
            double heart = (u > heartSpan[0] - 0.05 && u < heartSpan[1] + 0.05) ? a.heart(u, v) : 0;
            double cover = Math.max(heart, Math.max(medi, knob));
            // lungs
            double inside = a.lungInside(side, d, v);
            double lung = smoothstep(-edge, edge, inside);
            double air = 0;
            double marks = 0;
            if (lung > 0) {
                double depth = 0.75 + 0.25 * smoothstep(0, 0.06, inside);
                air = lung * (1 - cover) * depth * a.airScale;
                // vascular markings: streaks radiating from the hilum, tapering to the periphery
                double hx = d - 0.075;
                double hy = v - a.hilumV;
                double rr = Math.sqrt(hx * hx + hy * hy);
                double theta = Shapes.atan2(hy, hx);
                double nv = vessels.sample(theta * 10 + side * 37, rr * 9);
                double ridge = 1 - Math.abs(2 * nv - 1);
                ridge = ridge * ridge;
                ridge = ridge * ridge;
                double nv2 = vessels.sample(theta * 23 + 11 + side * 17, rr * 21 + 5);
                double ridge2 = 1 - Math.abs(2 * nv2 - 1);
                ridge2 = ridge2 * ridge2 * ridge2;
                double taper = Math.exp(-rr / 0.2);
                double nf = fine.sample(u * 48, v * 48);
                marks = a.markScale * ((0.09 * ridge + 0.05 * ridge2) * taper + 0.06 * (nf - 0.5));
            }
            // hila: vessels and nodes at the lung roots
            double hu = d - 0.085;
            double hv = v - a.hilumV;
            dens += 0.16 * Math.exp(-(hu * hu + hv * hv * 0.5) / (2 * 0.028 * 0.028));
            // trachea
            if (d < 0.03 && v < a.hilumV - 0.06) {
                dens -= 0.2 * (1 - smoothstep(0.009, 0.015, d)) * smoothstep(0.0, 0.05, v);
            }
            // spine with vertebral bodies
            if (d < 0.05) {
                double vert = 0.5 + 0.5 * Math.cos(2 * Math.PI * v / 0.046);
                dens += (1 - smoothstep(0.026, 0.04, d)) * (0.12 + 0.06 * vert);
            }
            // posterior ribs: arcs from the spine curving down laterally
            double lat = a.lateralEdge(side, v);
            if (d > 0.02 && d < lat + 0.07) {
                double dn = d / 0.33;
                double cv = a.ribStart + 0.11 * dn * dn - 0.012 * dn;
                double phase = (v - cv) / ribSp;
                if (phase > 0 && phase < 10) {
                    double f = phase - Math.floor(phase);
                    double rib = smoothstep(0.0, 0.07, f) * (1 - smoothstep(0.32, 0.4, f));
                    double cortex = 1 + 0.5 * (smoothstep(0.0, 0.07, f) - smoothstep(0.07, 0.14, f));
                    dens += 0.085 * rib * cortex * (1 - smoothstep(lat, lat + 0.07, d));
                }
                // anterior ribs: fainter, sloping down towards the midline
                double ca = a.ribStart + 0.045 + 0.13 * (1 - dn);
                double pa = (v - ca) / (ribSp * 1.2);
                if (pa > 0 && pa < 6 && d > 0.07) {
                    double f = pa - Math.floor(pa);
                    dens += 0.035 * smoothstep(0.0, 0.08, f) * (1 - smoothstep(0.25, 0.33, f));
                }
            }
            // clavicles
            if (d > 0.02 && d < 0.32) {
                double t = (d - 0.025) / 0.27;
                double cv = 0.175 - 0.07 * t + 0.014 * Math.sin(Math.PI * t) + 0.4 * (a.apexV - 0.125);
                double dist = Math.abs(v - cv);
                dens += 0.15 * (1 - smoothstep(0.008, 0.015, dist)) * smoothstep(0.0, 0.06, t) * (1 - smoothstep(0.9, 1.0, t));
            }
            // gastric bubble under the left hemidiaphragm (image right)
            if (side == 1) {
                double gu = (d - 0.17) / 0.055;
                double gv = (v - (a.domeBase[1] + 0.045)) / 0.028;
                double g = gu * gu + gv * gv;
                if (g < 1.3) {
                    dens -= 0.22 * (1 - smoothstep(0.7, 1.2, g));
                }
            }
            c.dens[i] = (float) dens;
            c.air[i] = (float) air;
            c.marks[i] = (float) marks;
        }
    }

    /** Film response, noise and quantisation to 8-bit grey. */
    static byte[] develop(Canvas c, double mid, double gain, double noise, long noiseSeed) {
        int n = c.size * c.size;
        byte[] out = new byte[n];
        SplittableRandom r = new SplittableRandom(noiseSeed);
        double scale = noise * 1.7320508 / 65536.0;
        for (int i = 0; i < n; i++) {
            double air = c.air[i];
            double att = c.dens[i] - AIR_DEPTH * air + c.marks[i] * Math.min(air, 1);
            double b = 1 / (1 + Math.exp(-gain * (att - mid)));
            long bits = r.nextLong();
            double sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
            b += (sum - 2 * 65536.0) * scale;
            int px = (int) Math.round(255 * b);
            out[i] = (byte) (px < 0 ? 0 : (px > 255 ? 255 : px));
        }
        return out;
    }
}
