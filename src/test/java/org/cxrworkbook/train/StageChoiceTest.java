package org.cxrworkbook.train;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageChoiceTest {

    private static StagedTraining.StageResult stage(int n, double... valAucs) {
        List<EpochResult> epochs = new ArrayList<>();
        for (int i = 0; i < valAucs.length; i++) {
            epochs.add(new EpochResult(i + 1, 0.5, 0.5, valAucs[i], 1e-3, 10, 1, 4));
        }
        return new StagedTraining.StageResult(n, "stage " + n, null, new TrainingHistory(epochs, "done"), 1, 1, 1e-3,
                null, "", "");
    }

    @Test
    void fineTuningIsKeptOnlyWhenItValidatesAtLeastAsWell() {
        var head = stage(1, 0.70, 0.74, 0.73);          // best 0.74
        var worse = stage(2, 0.72, 0.735);              // best 0.735 < 0.74: the head is saved
        var better = stage(2, 0.73, 0.745);             // best 0.745: stage 2 is saved
        var tie = stage(2, 0.74);                       // a tie: the later stage
        assertSame(head, StagedTraining.chosen(List.of(head, worse)));
        assertSame(better, StagedTraining.chosen(List.of(head, better)));
        assertSame(tie, StagedTraining.chosen(List.of(head, tie)));
        var noVal = stage(2, Double.NaN);               // no validation split: nothing to choose on, the last stage
        assertSame(noVal, StagedTraining.chosen(List.of(head, noVal)));
        var third = stage(3, 0.80);
        assertSame(third, StagedTraining.chosen(List.of(head, worse, third)));
        assertSame(head, StagedTraining.chosen(List.of(head, worse, stage(3, 0.60))));
    }
}
