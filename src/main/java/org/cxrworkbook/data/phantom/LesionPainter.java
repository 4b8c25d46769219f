package org.cxrworkbook.data.phantom;

import static org.cxrworkbook.data.phantom.Shapes.smoothstep;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;

/**
 * Draws the 14 findings of one film. Where a finding sits (side, zone) comes from a stream seeded by
 * (seed, patient, finding), so a lesion stays in place across a patient's follow-ups; how strong it is
 * comes from the image's own stream. Strength k in [0.25, 1]: 30 % of lesions are subtle (k below 0.5).
 * With the {@link Renderer#ATTENUATION} renderer, sizes are drawn in millimetres from the clinical ranges and
 * converted with the film's pixel spacing ({@link PhantomPlan#filmWidthMm}), and each box is where the film's
 * attenuation changed ({@link Canvas#boxFromChange}); the classic renderer keeps its draws unchanged.
 */
final class LesionPainter {

    /** Findings with a focal lesion that get a bounding box; Edema, Emphysema and Fibrosis are diffuse. */
    static final Set<Finding> LOCALISABLE = EnumSet.complementOf(
            EnumSet.of(Finding.EDEMA, Finding.EMPHYSEMA, Finding.FIBROSIS));

    private final PlannedImage plan;
    private final Anatomy a;
    private final Canvas c;
    private final long seed;
    private final Map<Finding, Double> strength = new EnumMap<>(Finding.class);
    private final double edge;
    private int effusionSide = -1;
    /** True for the attenuation renderer: lesion sizes in mm, boxes from the attenuation change. */
    private final boolean clinical;
    private final double filmWidthMm;

    LesionPainter(PlannedImage plan, Anatomy anatomy, Canvas canvas, long seed, SplittableRandom imageRng,
                  Renderer renderer) {
        this.plan = plan;
        this.a = anatomy;
        this.c = canvas;
        this.seed = seed;
        this.clinical = renderer == Renderer.ATTENUATION;
        this.filmWidthMm = PhantomPlan.filmWidthMm(plan.imageIndex());
        canvas.boxFromChange = clinical;
        this.edge = Math.max(0.006, 1.2 * canvas.pixel());
        for (Finding f : Finding.values()) {
            double s = imageRng.nextDouble() < 0.3 ? 0.25 + 0.25 * imageRng.nextDouble() : 0.5 + 0.5 * imageRng.nextDouble();
            if (plan.findings().contains(f)) {
                strength.put(f, s);
            }
        }
    }

    /** A length in mm on the film, in anatomical units (the film is filmWidthMm wide; the patient's zoom magnifies). */
    private double mm(double millimetres) {
        return millimetres / (filmWidthMm * c.zoom());
    }

    private boolean has(Finding f) {
        return strength.containsKey(f);
    }

    private double k(Finding f) {
        return strength.get(f);
    }

    private SplittableRandom geo(Finding f) {
        return Seeds.rng(seed, 3, plan.traits().patientNumber(), f.ordinal());
    }

    /** Changes to the normal anatomy that some findings make (flat diaphragm, volume loss, big heart). */
    void adjustAnatomy() {
        double ratio = a.heartRatio;
        if (has(Finding.EMPHYSEMA)) {
            double k = k(Finding.EMPHYSEMA);
            for (int s = 0; s < 2; s++) {
                a.domeHeight[s] *= 0.8 - 0.45 * k;
                a.domeBase[s] += 0.008 + 0.025 * k;
                a.lateralD[s] *= 1 + 0.02 * k;
            }
            a.airScale = 1.03 + 0.1 * k;
            a.markScale = 0.85 - 0.4 * k;
            ratio *= 0.95;
        }
        if (has(Finding.FIBROSIS)) {
            for (int s = 0; s < 2; s++) {
                a.domeBase[s] -= 0.015 * k(Finding.FIBROSIS);
            }
        }
        if (has(Finding.EFFUSION)) {
            effusionSide = Seeds.rng(seed, 8, plan.traits().patientNumber()).nextDouble() < 0.5 ? 0 : 1;
        }
        if (has(Finding.ATELECTASIS) && !clinical) {
            a.domeBase[atelectasisSide()] -= 0.008 + 0.02 * k(Finding.ATELECTASIS);
        }
        if (has(Finding.CARDIOMEGALY)) {
            double k = k(Finding.CARDIOMEGALY);
            ratio = (0.502 + 0.16 * (k - 0.25) + 0.01 * geo(Finding.CARDIOMEGALY).nextDouble())
                    * ("AP".equals(plan.viewPosition()) ? 1.06 : 1.0);
        }
        a.setHeartRatio(ratio);
        if (has(Finding.ATELECTASIS) && clinical) {
            // raised after the heart is placed, so the volume loss moves only this hemidiaphragm (inside the box)
            int side = atelectasisSide();
            atelectasisDomeBefore = a.domeBase[side];
            a.domeBase[side] -= mm(3 + 8 * k(Finding.ATELECTASIS));
        }
    }

    /** Where the atelectatic side's dome sat before the volume loss raised it (attenuation renderer). */
    private double atelectasisDomeBefore;

    private int atelectasisSide() {
        SplittableRandom g = Seeds.rng(seed, 7, plan.traits().patientNumber());
        double sameAsEffusion = g.nextDouble();
        double right = g.nextDouble();
        if (effusionSide >= 0 && sameAsEffusion < 0.7) {
            return effusionSide;
        }
        return right < 0.55 ? 0 : 1;
    }

    /** Paints all planned findings; returns the boxes of the localisable ones. */
    List<BoundingBox> paint() {
        List<BoundingBox> boxes = new ArrayList<>();
        for (Finding f : Finding.values()) {
            if (!has(f)) {
                continue;
            }
            for (double[] b : paint(f)) {
                if (b != null && LOCALISABLE.contains(f)) {
                    boxes.add(new BoundingBox(plan.imageIndex(), f, b[0], b[1], b[2], b[3]));
                }
            }
        }
        return boxes;
    }

    private List<double[]> paint(Finding f) {
        double k = k(f);
        SplittableRandom g = geo(f);
        return switch (f) {
            case ATELECTASIS -> one(atelectasis(g, k));
            case CARDIOMEGALY -> one(cardiomegaly());
            case CONSOLIDATION -> one(consolidation(g, k));
            case EDEMA -> edema(k);
            case EFFUSION -> effusion(g, k);
            case EMPHYSEMA -> emphysema(g, k);
            case FIBROSIS -> fibrosis(k);
            case HERNIA -> one(hernia(g, k));
            case INFILTRATION -> infiltration(g, k);
            case MASS -> one(mass(g, k));
            case NODULE -> nodules(g, k);
            case PLEURAL_THICKENING -> one(pleuralThickening(g, k));
            case PNEUMONIA -> one(pneumonia(g, k));
            case PNEUMOTHORAX -> one(pneumothorax(g, k));
        };
    }

    /**
     * A finding's single box, or none when its paint changed no pixel enough to box (a tiny lesion on a small film,
     * e.g. 32²): List.of(null) threw here and stopped the whole generation.
     */
    private static List<double[]> one(double[] box) {
        return box == null ? List.of() : List.of(box);
    }

    // ---- geometry helpers -------------------------------------------------------------------

    private double lungTop() {
        return a.apexV;
    }

    private double lungHeight(int side) {
        return a.domeBase[side] - a.domeHeight[side] * 0.5 - a.apexV;
    }

    /** A point {u, v} well inside a lung, between fractions lo..hi of its height, off the heart. */
    private double[] pointInLung(SplittableRandom g, int side, double lo, double hi, double margin) {
        double h = lungHeight(side);
        double[] best = {Anatomy.u(side, 0.2), lungTop() + 0.5 * h};
        for (int t = 0; t < 200; t++) {
            double d = a.medialD + g.nextDouble() * (a.lateralD[side] - a.medialD);
            double v = lungTop() + (lo + (hi - lo) * g.nextDouble()) * h;
            double u = Anatomy.u(side, d);
            if (a.lungInside(side, d, v) >= margin && a.heart(u, v) < 0.3) {
                return new double[] {u, v};
            }
        }
        return best;
    }

    private int side(SplittableRandom g, double rightProbability) {
        return g.nextDouble() < rightProbability ? 0 : 1;
    }

    private double lungMask(double u, double v) {
        double dx = u - Anatomy.MID;
        int side = dx < 0 ? 0 : 1;
        return smoothstep(-edge, edge, a.lungInside(side, Math.abs(dx), v));
    }

    private static double[] union(double[] p, double[] q) {
        if (p == null) {
            return q;
        }
        if (q == null) {
            return p;
        }
        double x0 = Math.min(p[0], q[0]);
        double y0 = Math.min(p[1], q[1]);
        double x1 = Math.max(p[0] + p[2], q[0] + q[2]);
        double y1 = Math.max(p[1] + p[3], q[1] + q[3]);
        return new double[] {x0, y0, x1 - x0, y1 - y0};
    }

    /** Paints a soft opacity that replaces air (fill in 0..1) and adds a little density. */
    private void opacify(int i, double fill, double extraDensity) {
        c.air[i] *= (float) (1 - fill);
        c.dens[i] += (float) (extraDensity * fill);
    }

    // ---- the findings -----------------------------------------------------------------------

    /** Plate-like band (discoid atelectasis) in a lower zone, with a slightly raised hemidiaphragm. */
    private double[] atelectasis(SplittableRandom g, double k) {
        int side = atelectasisSide();
        double[] p = pointInLung(g, side, 0.55, 0.85, 0.03);
        double len = clinical ? mm(30 + 50 * g.nextDouble()) : 0.08 + 0.1 * g.nextDouble();
        double thick = clinical ? mm(2.5 + 4.5 * k) : 0.007 + 0.018 * k;
        double ang = (g.nextDouble() - 0.5) * 0.6 + (side == 0 ? -0.12 : 0.12);
        double ca = Math.cos(ang);
        double sa = Math.sin(ang);
        double amp = 0.5 + 0.45 * k;
        double r = len / 2 + thick * 3;
        double[] dome = null;
        if (clinical) {
            // the raised hemidiaphragm is part of the finding's signature: the box takes in the band it moved through
            double u0 = Anatomy.u(side, a.medialD - 0.01);
            double u1 = Anatomy.u(side, a.lateralD[side] + 0.01);
            dome = c.box(Math.min(u0, u1), a.domeBase[side] - a.domeHeight[side] - 0.01, Math.max(u0, u1),
                    atelectasisDomeBefore + (side == 1 ? 0.065 : 0.01));
        }
        return union(dome, c.paint(p[0] - r, p[1] - r, p[0] + r, p[1] + r, 0.25 * amp, (i, u, v) -> {
            double du = u - p[0];
            double dv = v - p[1];
            double along = du * ca + dv * sa;
            double across = -du * sa + dv * ca;
            double band = Math.exp(-(across * across) / (thick * thick))
                    * (1 - smoothstep(0.35 * len, 0.5 * len, Math.abs(along)));
            double fill = amp * band * lungMask(u, v);
            opacify(i, fill, 0.03);
            return fill;
        }));
    }

    /** Box of the enlarged heart (its silhouette above the diaphragm). */
    private double[] cardiomegaly() {
        double[] span = a.heartSpanU();
        if (clinical) {
            // the whole silhouette down to where it meets the diaphragm: the widened heart shows wherever it covers lung
            // (the silhouette's soft edge reaches 1.04 half-widths: Anatomy.heart fades out at r² = 1.08)
            double grow = 0.04 * (span[1] - span[0]) / 2;
            double bottom = Math.min(a.heartCentreV + a.heartHalfHeight, Math.max(a.domeBase[0], a.domeBase[1]));
            return c.box(span[0] - grow, a.heartCentreV - 1.04 * a.heartHalfHeight, span[1] + grow, bottom);
        }
        return c.box(span[0], a.heartCentreV - a.heartHalfHeight, span[1], a.heartCentreV + 0.55 * a.heartHalfHeight);
    }

    /** Dense, fairly homogeneous lobar opacity bounded by a fissure-like line. */
    private double[] consolidation(SplittableRandom g, double k) {
        int side = side(g, 0.55);
        boolean lower = g.nextDouble() < 0.6;
        double h = lungHeight(side);
        double fissure = lungTop() + (lower ? 0.5 + 0.15 * g.nextDouble() : 0.3 + 0.12 * g.nextDouble()) * h;
        double slope = (lower ? 0.25 : -0.1) * (side == 0 ? 1 : 1);
        double dc = 0.12 + 0.12 * g.nextDouble();
        double halfW = clinical ? mm(20 + 35 * g.nextDouble()) : 0.04 + 0.08 * g.nextDouble();
        double amp = 0.3 + 0.4 * k;
        ValueNoise patch = new ValueNoise(Seeds.mix(seed, 4, plan.traits().patientNumber()), 64);
        double u0 = Math.min(Anatomy.u(side, dc - halfW - 0.03), Anatomy.u(side, dc + halfW + 0.03));
        double u1 = Math.max(Anatomy.u(side, dc - halfW - 0.03), Anatomy.u(side, dc + halfW + 0.03));
        double v0 = lower ? fissure - 0.06 : lungTop() - 0.02;
        double v1 = lower ? a.domeBase[side] + 0.01 : fissure + 0.06;
        return c.paint(u0, v0, u1, v1, 0.3, (i, u, v) -> {
            double d = Math.abs(u - Anatomy.MID);
            double line = fissure + slope * (d - 0.2);
            double lobe = lower ? smoothstep(-0.012, 0.012, v - line) : smoothstep(0.012, -0.012, v - line);
            double window = 1 - smoothstep(halfW * 0.7, halfW, Math.abs(d - dc));
            double texture = 0.7 + 0.3 * patch.sample(u * 22, v * 22);
            double fill = amp * lobe * window * texture * lungMask(u, v);
            opacify(i, fill, 0.04);
            return fill;
        });
    }

    /** Bilateral perihilar ("bat wing") haze with accentuated markings and Kerley B lines at the bases. */
    private List<double[]> edema(double k) {
        double amp = 0.07 + 0.16 * k;
        for (int side = 0; side < 2; side++) {
            int s = side;
            double dome = a.domeBase[side];
            double lat = a.lateralD[side];
            double u0 = Math.min(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.05));
            double u1 = Math.max(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.05));
            c.paint(u0, a.apexV - 0.02, u1, dome + 0.01, 1, (i, u, v) -> {
                double d = Math.abs(u - Anatomy.MID);
                double hx = (d - 0.11) / 0.1;
                double hy = (v - a.hilumV) / 0.12;
                double mask = lungMask(u, v);
                double haze = amp * Math.exp(-0.5 * (hx * hx + hy * hy)) * mask;
                opacify(i, haze, 0.02);
                c.marks[i] *= (float) (1 + 0.25 * k * mask);
                double latEdge = a.lateralEdge(s, v);
                double kerley = smoothstep(latEdge - 0.05, latEdge - 0.01, d) * smoothstep(dome - 0.16, dome - 0.1, v);
                if (kerley > 0) {
                    double f = v / 0.014 - Math.floor(v / 0.014);
                    double lineB = 1 - smoothstep(0.1, 0.25, Math.abs(f - 0.5));
                    c.dens[i] += (float) (0.05 * k * lineB * kerley * mask);
                }
                return haze;
            });
        }
        return List.of();
    }

    /** Fluid in the costophrenic recess: blunted angle, meniscus rising laterally; sometimes bilateral. */
    private List<double[]> effusion(SplittableRandom g, double k) {
        boolean bilateral = g.nextDouble() < 0.2;
        List<double[]> boxes = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            if (!bilateral && side != effusionSide) {
                continue;
            }
            int s = side;
            double depth = k * (0.3 + 0.7 * g.nextDouble()) * (side == effusionSide ? 1 : 0.6);
            double h = clinical ? mm(10 + 60 * depth) : 0.015 + 0.13 * depth;
            double lat = a.lateralD[side];
            double angleV = a.dome(side, a.lateralEdge(side, a.domeBase[side]));
            double amp = 0.55 + 0.4 * k;
            double e = Math.max(0.008, 1.5 * c.pixel());
            double u0 = Math.min(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.05));
            double u1 = Math.max(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.05));
            boxes.add(c.paint(u0, angleV - h - 0.03, u1, a.domeBase[side] + 0.02, 0.5, (i, u, v) -> {
                double d = Math.abs(u - Anatomy.MID);
                double latEdge = a.lateralEdge(s, v);
                double surface = angleV - h * (0.5 + 0.5 * (d / latEdge) * (d / latEdge));
                double inChest = smoothstep(-edge, edge, Math.min(latEdge - d, d - a.medialD));
                double fill = amp * smoothstep(-e, e, v - surface) * inChest;
                double before = c.air[i];
                opacify(i, fill, 0.04 * Math.min(1, 5 * before));
                return before > 0.05 ? fill : 0;
            }));
        }
        return boxes;
    }

    /** Anatomy already made hyperlucent and flat (adjustAnatomy); half the patients also have an apical bulla. */
    private List<double[]> emphysema(SplittableRandom g, double k) {
        if (g.nextDouble() < 0.5) {
            int side = side(g, 0.5);
            double[] p = pointInLung(g, side, 0.05, 0.3, 0.04);
            double r = 0.03 + 0.03 * g.nextDouble();
            c.paint(p[0] - r, p[1] - r, p[0] + r, p[1] + r, 1, (i, u, v) -> {
                double du = (u - p[0]) / r;
                double dv = (v - p[1]) / r;
                double in = (1 - smoothstep(0.8, 1.0, du * du + dv * dv)) * lungMask(u, v);
                c.air[i] *= (float) (1 + 0.25 * k * in);
                c.marks[i] *= (float) (1 - in);
                return in;
            });
        }
        return List.of();
    }

    /** Basal, peripheral reticular network on both sides. */
    private List<double[]> fibrosis(double k) {
        ValueNoise net = new ValueNoise(Seeds.mix(seed, 5, plan.traits().patientNumber()), 64);
        double width = 0.03 + 0.03 * k;
        double amp = 0.04 + 0.06 * k;
        for (int side = 0; side < 2; side++) {
            int s = side;
            double lat = a.lateralD[side];
            double top = lungTop() + 0.35 * lungHeight(side);
            double u0 = Math.min(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.03));
            double u1 = Math.max(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.03));
            c.paint(u0, top, u1, a.domeBase[side] + 0.01, 1, (i, u, v) -> {
                double d = Math.abs(u - Anatomy.MID);
                double env = smoothstep(top, top + 0.25 * lungHeight(s), v) * smoothstep(0.35 * lat, 0.85 * lat, d);
                if (env <= 0) {
                    return 0;
                }
                double n = net.sample(u * 34 + 7 * s, v * 34);
                double line = 1 - smoothstep(0.5 * width, width, Math.abs(n - 0.5));
                double mask = lungMask(u, v);
                c.dens[i] += (float) (amp * line * env * mask);
                c.air[i] *= (float) (1 - 0.15 * k * env * mask);
                return env;
            });
        }
        return List.of();
    }

    /** Hiatus hernia: round gas lucency behind the heart, above the diaphragm, with an air-fluid level. */
    private double[] hernia(SplittableRandom g, double k) {
        double cu = Anatomy.MID - 0.01 + 0.08 * g.nextDouble();
        double cv = a.domeBase[1] - a.domeHeight[1] - 0.06 + 0.05 * g.nextDouble();
        double r = clinical ? mm(15 + 20 * k * (0.5 + 0.5 * g.nextDouble())) : 0.028 + 0.03 * k * (0.5 + 0.5 * g.nextDouble());
        double level = cv + (0.1 + 0.4 * g.nextDouble()) * r;
        double amp = clinical ? 0.03 + 0.06 * k : 0.06 + 0.1 * k;
        double wall = Math.max(0.004, c.pixel());
        return c.paint(cu - r - wall * 2, cv - r - wall * 2, cu + r + wall * 2, cv + r + wall * 2, 0.5, (i, u, v) -> {
            double du = u - cu;
            double dv = v - cv;
            double rr = Math.sqrt(du * du + dv * dv);
            double in = 1 - smoothstep(r - wall, r, rr);
            double gas = in * smoothstep(0.004, -0.004, v - level);
            double rim = Math.exp(-((rr - r) * (rr - r)) / (wall * wall));
            c.dens[i] += (float) (-amp * gas + 0.05 * k * rim);
            return in;
        });
    }

    /** Diffuse ill-defined patches scattered over the mid and lower zones of one lung (sometimes both). */
    private List<double[]> infiltration(SplittableRandom g, double k) {
        boolean both = g.nextDouble() < 0.3;
        int primary = side(g, 0.5);
        List<double[]> boxes = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            if (!both && side != primary) {
                continue;
            }
            double[] box = null;
            int blobs = 5 + g.nextInt(8);
            for (int b = 0; b < blobs; b++) {
                double[] p = pointInLung(g, side, 0.25, 0.95, 0.01);
                double sigma = clinical ? mm(5 + 8 * g.nextDouble()) : 0.012 + 0.02 * g.nextDouble();
                double amp = 0.15 + 0.25 * k;
                double r = 3 * sigma;
                box = union(box, c.paint(p[0] - r, p[1] - r, p[0] + r, p[1] + r, 0.12, (i, u, v) -> {
                    double du = u - p[0];
                    double dv = v - p[1];
                    double fill = amp * Math.exp(-(du * du + dv * dv) / (2 * sigma * sigma)) * lungMask(u, v);
                    opacify(i, fill, 0.02);
                    return fill;
                }));
            }
            boxes.add(box);
        }
        return boxes;
    }

    /** A large (over 3 cm) lobulated opacity. */
    private double[] mass(SplittableRandom g, double k) {
        int side = side(g, 0.5);
        // clinical: lobes of radius 0.75-1 r offset by up to 0.25 r, so the mass measures at least 1.5 r = 30 mm
        double r = clinical ? mm(20 + 20 * g.nextDouble()) : 0.035 + 0.04 * g.nextDouble();
        double[] p = pointInLung(g, side, 0.1, 0.75, 0.5 * r);
        double[][] lobes = new double[3][3];
        for (double[] l : lobes) {
            double ang = g.nextDouble() * 2 * Math.PI;
            double off = (clinical ? 0.25 : 0.35) * r * g.nextDouble();
            l[0] = p[0] + off * Math.cos(ang);
            l[1] = p[1] + off * Math.sin(ang);
            l[2] = r * (clinical ? 0.75 + 0.25 * g.nextDouble() : 0.6 + 0.25 * g.nextDouble());
        }
        double amp = clinical ? 0.3 + 0.6 * k : 0.55 + 0.4 * k;
        double reach = 1.4 * r;
        return c.paint(p[0] - reach, p[1] - reach, p[0] + reach, p[1] + reach, 0.3 * amp, (i, u, v) -> {
            double m = 0;
            for (double[] l : lobes) {
                double du = (u - l[0]) / l[2];
                double dv = (v - l[1]) / l[2];
                m = Math.max(m, 1 - smoothstep(0.75, 1.15, du * du + dv * dv));
            }
            double fill = amp * m;
            opacify(i, fill, 0.05);
            return fill;
        });
    }

    /** One or two small (under 3 cm) well-defined round opacities. */
    private List<double[]> nodules(SplittableRandom g, double k) {
        int count = g.nextDouble() < 0.8 ? 1 : 2;
        List<double[]> boxes = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            int side = side(g, 0.5);
            // clinical: diameter log-uniform over 6-30 mm (5 mm would be 3 px at 256²), smaller ones fainter
            double diameter = clinical ? 6 * Math.pow(5, g.nextDouble()) : 0;
            double r = clinical ? mm(diameter / 2) : 0.007 + 0.011 * g.nextDouble();
            double[] p = pointInLung(g, side, 0.1, 0.85, r);
            double amp = (0.35 + 0.55 * k) * (clinical ? 0.75 + 0.25 * Math.min(1, diameter / 20) : 1);
            double soft = Math.max(0.25, 2 * c.pixel() / r);
            boxes.add(c.paint(p[0] - 2 * r, p[1] - 2 * r, p[0] + 2 * r, p[1] + 2 * r, 0.5 * amp, (i, u, v) -> {
                double du = (u - p[0]) / r;
                double dv = (v - p[1]) / r;
                double fill = amp * (1 - smoothstep(1 - soft, 1 + soft, du * du + dv * dv));
                opacify(i, fill, 0.06);
                return fill;
            }));
        }
        return boxes;
    }

    /** Bright pleural rim along the lateral chest wall or over the apex (apical cap). */
    private double[] pleuralThickening(SplittableRandom g, double k) {
        int side = side(g, 0.5);
        boolean apical = g.nextDouble() < 0.3;
        double t = Math.max(clinical ? mm(3 + 9 * k) : 0.006 + 0.016 * k, 2 * c.pixel());
        double h = lungHeight(side);
        double vs = lungTop() + (0.2 + 0.45 * g.nextDouble()) * h;
        double len = (0.12 + 0.18 * g.nextDouble()) * h / 0.6;
        double lat = a.lateralD[side];
        double amp = 0.6 + 0.35 * k;
        double u0 = Math.min(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.05));
        double u1 = Math.max(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.05));
        double v0 = apical ? a.apexV - 0.02 : vs - 0.02;
        double v1 = apical ? a.apexV + 0.14 : vs + len + 0.02;
        return c.paint(u0, v0, u1, v1, 0.4, (i, u, v) -> {
            double d = Math.abs(u - Anatomy.MID);
            double inside = a.lungInside(side, d, v);
            double dist;
            double window;
            if (apical) {
                dist = v - a.apexCurve(d);
                window = smoothstep(0.05, 0.09, d) * (1 - smoothstep(lat - 0.02, lat + 0.02, d));
            } else {
                dist = a.lateralEdge(side, v) - d;
                window = smoothstep(vs, vs + 0.02, v) * (1 - smoothstep(vs + len - 0.02, vs + len, v));
            }
            double rim = (1 - smoothstep(0.7 * t, t, dist)) * smoothstep(-edge, edge, inside + 0.004) * window;
            double fill = amp * rim;
            opacify(i, fill, 0.06 * k);
            return rim;
        });
    }

    /** Patchy, heterogeneous segmental opacity in a mid or lower zone. */
    private double[] pneumonia(SplittableRandom g, double k) {
        int side = side(g, 0.55);
        double[] p = pointInLung(g, side, 0.35, 0.9, 0.03);
        double sigma = clinical ? mm(15 + 20 * g.nextDouble()) : 0.04 + 0.04 * g.nextDouble();
        double amp = 0.45 + 0.4 * k;
        ValueNoise patch = new ValueNoise(Seeds.mix(seed, 6, plan.traits().patientNumber()), 64);
        double r = 2.5 * sigma;
        return c.paint(p[0] - r, p[1] - r, p[0] + r, p[1] + r, 0.2, (i, u, v) -> {
            double du = u - p[0];
            double dv = v - p[1];
            double env = Math.exp(-(du * du + dv * dv) / (2 * sigma * sigma));
            double patches = smoothstep(0.3, 0.65, patch.sample(u * 28, v * 28));
            double fill = amp * env * (0.35 + 0.65 * patches) * lungMask(u, v);
            opacify(i, fill, 0.03);
            return fill;
        });
    }

    /** Visceral pleural line separated from the chest wall by a lucent rim without lung markings. */
    private double[] pneumothorax(SplittableRandom g, double k) {
        int side = side(g, 0.5);
        double gap = clinical ? mm(6 + 34 * k * (0.5 + 0.5 * g.nextDouble())) : 0.012 + 0.045 * k * (0.5 + 0.5 * g.nextDouble());
        double vEnd = lungTop() + (0.35 + 0.45 * g.nextDouble()) * lungHeight(side);
        double lineW = Math.max(0.0025, 0.7 * c.pixel());
        double amp = 0.1 + 0.1 * k;
        double lat = a.lateralD[side];
        double u0 = Math.min(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.03));
        double u1 = Math.max(Anatomy.u(side, 0), Anatomy.u(side, lat + 0.03));
        return c.paint(u0, a.apexV - 0.02, u1, vEnd + 0.04, 0.5, (i, u, v) -> {
            double d = Math.abs(u - Anatomy.MID);
            double inside = a.lungInside(side, d, v);
            if (inside < -edge) {
                return 0;
            }
            double dist = Math.min(a.lateralEdge(side, v) - d, v - a.apexCurve(d));
            double window = (1 - smoothstep(vEnd - 0.03, vEnd + 0.03, v)) * smoothstep(0.1, 0.16, d);
            double rim = (1 - smoothstep(gap - lineW, gap, dist)) * window;
            double line = Math.exp(-((dist - gap) * (dist - gap)) / (lineW * lineW)) * window;
            c.marks[i] *= (float) (1 - rim);
            c.air[i] *= (float) (1 + 0.12 * rim - 0.06 * (1 - rim) * window);
            c.dens[i] += (float) (amp * line);
            return Math.max(rim, line);
        });
    }
}
