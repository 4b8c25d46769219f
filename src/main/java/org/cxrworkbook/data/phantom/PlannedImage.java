package org.cxrworkbook.data.phantom;

import java.util.Set;
import org.cxrworkbook.data.Finding;

/** One image of the phantom plan: who, which follow-up, which findings, which split; pixels come later. */
record PlannedImage(int imageNumber, String imageIndex, PatientTraits traits, String patientId, int followUp,
                    Set<Finding> findings, String viewPosition, int age, String split) {
}
