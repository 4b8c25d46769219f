package org.cxrworkbook.model.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.cxrworkbook.model.DenseNet;
import org.cxrworkbook.model.DenseNetConfig;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused Adam pass against DL4J's own updater on the same gradients and state: the step written into the gradient
 * and both Adam moments after each of three iterations (bias corrections 1 − βᵗ for t = 1, 2, 3), on DenseNet121's 243
 * updater blocks with BatchNorm's no-op running-statistics blocks between them. Float32 in both; tolerance relative to
 * each array's largest element.
 */
class FusedAdamUpdaterTest {

    static final double TOLERANCE = 1e-5;

    @Test
    void threeStepsGiveDl4jsStepsAndMoments() {
        ComputationGraph a = DenseNet.build(DenseNetConfig.densenet121());
        ComputationGraph b = a.clone();
        a.initGradientsView();
        b.initGradientsView();
        FusedAdamUpdater fused = new FusedAdamUpdater(b, b.getUpdater());
        assertTrue(fused.fused(), "DenseNet121 with Adam takes the fused pass: " + fused.refusal());
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        double worst = 0;
        for (int it = 0; it < 3; it++) {
            Nd4j.getRandom().setSeed(10 + it);
            INDArray g = Nd4j.randn(DataType.FLOAT, a.getFlattenedGradients().shape()).muli(0.01);
            a.getFlattenedGradients().assign(g);
            b.getFlattenedGradients().assign(g);
            a.getUpdater().update(new DefaultGradient(a.getFlattenedGradients()), it, 0, 8, mgr);
            fused.update(new DefaultGradient(b.getFlattenedGradients()), it, 0, 8, mgr);
            double step = rel(b.getFlattenedGradients(), a.getFlattenedGradients());
            double state = rel(b.getUpdater().getStateViewArray(), a.getUpdater().getStateViewArray());
            System.out.printf(Locale.ROOT, "iteration %d: step %.2e, moments %.2e%n", it, step, state);
            worst = Math.max(worst, Math.max(step, state));
        }
        assertTrue(fused.fusedSteps == 3, "the fused pass ran " + fused.fusedSteps + " of 3 times");
        assertTrue(worst < TOLERANCE, "fused Adam differs from DL4J's by " + worst);
        // and a wrong moment is seen: the comparison can fail
        b.getUpdater().getStateViewArray().putScalar(12345, 1.0);
        assertTrue(rel(b.getUpdater().getStateViewArray(), a.getUpdater().getStateViewArray()) > 1e-3);
    }

    static double rel(INDArray got, INDArray want) {
        return got.sub(want).amaxNumber().doubleValue() / want.amaxNumber().doubleValue();
    }
}
