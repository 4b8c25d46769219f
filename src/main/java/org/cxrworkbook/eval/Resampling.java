package org.cxrworkbook.eval;

/** What a bootstrap replicate draws with replacement: whole patients (correct for X-rays) or single images (for comparison). */
public enum Resampling {
    /** Draw patients; every image of a drawn patient comes along. */
    PATIENT,
    /** Draw images independently (ignores that a patient's images are correlated; CIs come out too narrow). */
    IMAGE
}
