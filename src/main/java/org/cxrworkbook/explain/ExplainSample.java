package org.cxrworkbook.explain;

import java.util.List;
import java.util.Set;
import org.cxrworkbook.data.BoundingBox;
import org.cxrworkbook.data.Finding;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One preprocessed image to explain: model input [1, c, h, w], its true findings, its lesion boxes in original
 * pixels (possibly none) and the original size the boxes refer to.
 */
public record ExplainSample(String imageIndex, INDArray input, Set<Finding> findings, List<BoundingBox> boxes,
                            double originalWidth, double originalHeight) {

    /** Copies the collections and checks the input shape. */
    public ExplainSample {
        findings = Set.copyOf(findings);
        boxes = List.copyOf(boxes);
        if (input.rank() != 4 || input.size(0) != 1) {
            throw new IllegalArgumentException(imageIndex + ": input must be [1, c, h, w], got "
                    + java.util.Arrays.toString(input.shape()));
        }
    }
}
