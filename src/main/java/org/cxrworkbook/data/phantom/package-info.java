/** The phantom dataset: deterministic synthetic frontal chest films with all 14 findings, written in the NIH ChestX-ray14 layout. */
package org.cxrworkbook.data.phantom;
