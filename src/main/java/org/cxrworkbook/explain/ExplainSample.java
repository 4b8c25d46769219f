package org.cxrworkbook.explain;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One preprocessed image to explain: model input [1, c, h, w], its true findings, its lesion boxes in the pixels
 * of the PNG file (possibly none) and that PNG's size, which the boxes refer to (never Data_Entry's
 * {@code OriginalImage[Width,Height]}, the size of the DICOM before NIH downscaled it).
 */
public record ExplainSample(String imageIndex, INDArray input, Set<Finding> findings, List<BoundingBox> boxes,
                            double pngWidth, double pngHeight) {

    /** Copies the collections and checks the input shape. */
    public ExplainSample {
        findings = Set.copyOf(findings);
        boxes = List.copyOf(boxes);
        if (input.rank() != 4 || input.size(0) != 1) {
            throw new IllegalArgumentException(imageIndex + ": input must be [1, c, h, w], got "
                    + java.util.Arrays.toString(input.shape()));
        }
        if (!(pngWidth > 0 && pngHeight > 0)) {
            throw new IllegalArgumentException(imageIndex + ": PNG size must be positive, got " + pngWidth + "x"
                    + pngHeight);
        }
    }
}
