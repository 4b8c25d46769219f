/** Stage 1: reading and writing the NIH ChestX-ray14 layout, the built-in phantom dataset, patient-wise splits and overlap checks. */
package org.cxrworkbook.data;
