package org.cxrworkbook.data.phantom;

/**
 * Geometry of one phantom film in anatomical coordinates (u to the image right, v down, both 0..1;
 * patient's right lung on the image left, as on a frontal film). Side 0 = image left, side 1 = image right;
 * {@code d} = distance from the midline towards that side's chest wall.
 */
final class Anatomy {

    /** Midline in u. */
    static final double MID = 0.5;

    double bodyHalfWidth;
    double apexV;
    double apexD;
    final double[] lateralD = new double[2];
    double medialD = 0.035;
    final double[] domeBase = new double[2];
    final double[] domeHeight = new double[2];
    double domeCentreD;
    double domeHalfWidth;
    double heartLeft;
    double heartRight;
    double heartCentreV;
    double heartHalfHeight;
    double heartRatio;
    double heartLeftShare = 0.36;
    double heartHeightScale = 1;
    double heartShiftV;
    double hilumV;
    double ribStart;
    double ribSpacing;
    double airScale = 1.0;
    double markScale = 1.0;
    /** Rounded lung outlines (attenuation renderer); false keeps the classic renderer's corners. */
    boolean rounded;
    /**
     * The patient's own dome levels before any finding moved them: with {@link #rounded} the lateral lung edge and
     * the breast shadows hang from these, so a finding that raises a hemidiaphragm changes only the base of the lung.
     */
    final double[] normalDomeBase = new double[2];
    /** Top of the patient's normal heart: the aortic knob hangs from it, so an enlarged heart does not move it. */
    double normalHeartTop;

    /** Builds the normal anatomy of a patient's film; findings then adjust fields before rendering. */
    static Anatomy of(PatientTraits p, double inspiration, boolean apView) {
        Anatomy a = new Anatomy();
        double b = p.build();
        a.bodyHalfWidth = Math.min(0.47, 0.415 * b);
        a.lateralD[0] = 0.335 * Math.sqrt(b);
        a.lateralD[1] = 0.33 * Math.sqrt(b);
        a.apexV = 0.125 + 0.01 * (1 - p.lungHeight());
        a.apexD = 0.16 * Math.sqrt(b);
        double base = 0.735 + (p.lungHeight() - 1) * 0.2 + p.diaphragmOffset() + inspiration;
        a.domeBase[0] = base - 0.018;          // the right hemidiaphragm (image left) sits higher
        a.domeBase[1] = base;
        a.normalDomeBase[0] = a.domeBase[0];
        a.normalDomeBase[1] = a.domeBase[1];
        a.domeHeight[0] = 0.075;
        a.domeHeight[1] = 0.07;
        a.domeCentreD = 0.5 * a.lateralD[0];
        a.domeHalfWidth = 0.55 * a.lateralD[0];
        a.hilumV = 0.43 + 0.3 * (base - 0.735);
        a.ribStart = 0.115 + 0.5 * (a.apexV - 0.125);
        a.ribSpacing = p.ribSpacing() * (0.7 + 0.3 * p.lungHeight()) * (base - 0.1) / 0.635;
        a.heartLeftShare = p.heartLeftShare();
        a.heartHeightScale = p.heartHeight();
        a.heartShiftV = p.heartShiftV();
        a.setHeartRatio(p.heartRatio() * (apView ? 1.06 : 1.0));
        a.normalHeartTop = a.heartCentreV - a.heartHalfHeight;
        return a;
    }

    /** Sets the cardiothoracic ratio (heart width over inner thoracic width at the dome level). */
    void setHeartRatio(double ratio) {
        heartRatio = ratio;
        double thorax = thoracicWidth();
        double w = ratio * thorax;
        heartLeft = heartLeftShare * w;
        heartRight = (1 - heartLeftShare) * w;
        heartHalfHeight = 0.15 * heartHeightScale * Math.sqrt(w / 0.28);
        heartCentreV = domeBase[1] - domeHeight[1] - 0.01 + heartShiftV;
    }

    /** Inner thoracic width: between the lateral lung edges at the level of the dome tops. */
    double thoracicWidth() {
        double v = domeBase[1] - domeHeight[1];
        return lateralEdge(0, v) + lateralEdge(1, v);
    }

    /** The u coordinate of distance {@code d} on {@code side}. */
    static double u(int side, double d) {
        return side == 0 ? MID - d : MID + d;
    }

    /** Lateral lung edge (as d) at height v: slightly wider towards the base. */
    double lateralEdge(int side, double v) {
        double base = rounded ? normalDomeBase[side] : domeBase[side];
        double t = Shapes.clamp((v - apexV) / (0.8 * (base - apexV)), 0, 1);
        double r = 1 - t;
        return lateralD[side] * (1 - (rounded ? 0.45 : 0.6) * r * r * Math.sqrt(r));
    }

    /** Upper lung boundary (as v) at lateral distance d: a rounded apex. */
    double apexCurve(double d) {
        double t = (d - apexD) / 0.17;
        return apexV + 0.1 * t * t;
    }

    /** Diaphragm dome surface (as v) at lateral distance d on a side. */
    double dome(int side, double d) {
        double t = (d - domeCentreD) / domeHalfWidth;
        return domeBase[side] - domeHeight[side] * Math.max(0, 1 - t * t);
    }

    /**
     * Signed distance-like measure of being inside a lung: positive inside, negative outside. With {@link #rounded}
     * the apex and the medial corners are rounded (smooth minimum over 0.03) and the costophrenic angle stays sharp;
     * without, the four borders meet in corners (the classic renderer).
     */
    double lungInside(int side, double d, double v) {
        double e1 = lateralEdge(side, v) - d;
        double e2 = d - medialD;
        double e3 = dome(side, d) - v;
        double e4 = v - apexCurve(d);
        if (!rounded) {
            return Math.min(Math.min(e1, e2), Math.min(e3, e4));
        }
        double upper = smoothMin(smoothMin(e4, e2, 0.03), e1, 0.03);
        return Math.min(upper, Math.min(e3, smoothMin(e3 + 0.01, e2, 0.03)));
    }

    /** Polynomial smooth minimum: min(a, b) with the corner rounded over about {@code k}. */
    static double smoothMin(double a, double b, double k) {
        double h = Shapes.clamp(0.5 + 0.5 * (b - a) / k, 0, 1);
        return b + (a - b) * h - k * h * (1 - h);
    }

    /** Soft heart silhouette mask in [0, 1]. */
    double heart(double u, double v) {
        double cu = MID + (heartRight - heartLeft) / 2;
        double a = (heartLeft + heartRight) / 2;
        double x = (u - cu) / a;
        double y = (v - heartCentreV) / heartHalfHeight;
        double r = x * x + y * y;
        return 1 - Shapes.smoothstep(0.85, 1.08, r);
    }

    /**
     * How much of the lung's depth the heart displaces, in [0, 1] (attenuation renderer): rises from the outer
     * third of the silhouette's radius, like the chord of a rounded body, and is 1 over its core.
     */
    double heartCover(double u, double v) {
        double cu = MID + (heartRight - heartLeft) / 2;
        double a = (heartLeft + heartRight) / 2;
        double x = (u - cu) / a;
        double y = (v - heartCentreV) / heartHalfHeight;
        double r = x * x + y * y;
        return 1 - Shapes.smoothstep(0.4, 1.12, r);
    }

    /** Horizontal extent of the heart in u: {left, right}. */
    double[] heartSpanU() {
        return new double[] {MID - heartLeft, MID + heartRight};
    }

    /** Body half width at height v: neck at the top, shoulders, chest. */
    double bodyHalfWidth(double v) {
        double shoulder = Math.min(0.5, bodyHalfWidth + 0.06);
        return 0.085 + (shoulder - 0.085) * Shapes.smoothstep(0.0, 0.13, v)
                - (shoulder - bodyHalfWidth) * Shapes.smoothstep(0.13, 0.4, v);
    }
}
