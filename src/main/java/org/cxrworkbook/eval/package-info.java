/** Stage 5: predictions files, per-finding ROC/AUC with patient-level bootstrap intervals, operating points and calibration. */
package org.cxrworkbook.eval;
