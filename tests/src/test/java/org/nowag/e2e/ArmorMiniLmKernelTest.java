package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.nowag.io.model.ModelDirectory;
import org.nowag.io.safetensors.TensorInfo;
import org.nowag.kernels.armor.Armor;
import org.nowag.kernels.armor.ArmorConfig;
import org.nowag.kernels.armor.ArmorResult;

/** The ARMOR kernel on every linear weight of the real MiniLM (data-free, s = 1): the loss only goes down. */
class ArmorMiniLmKernelTest {
    @Test
    void onAll36LinearWeightsOfMiniLmTheLossNeverRisesAndEndsBelowNowagP() throws IOException {
        Path model = Fixtures.miniLm();
        int matrices = 0;
        double startSum = 0;
        double endSum = 0;
        for (TensorInfo t : ModelDirectory.open(model.toUri().toString(), new Configuration()).tensors()) {
            if (!t.name().matches("encoder\\.layer\\.\\d+\\..*\\.weight") || t.shape().length != 2) continue;
            int rows = (int) t.rows();
            int cols = (int) t.cols();
            ArmorResult res = Armor.compress(Fixtures.floats(model, t.name()), rows, cols, null,
                    ArmorConfig.of(ArmorConfig.DEFAULT_BLOCK_SIZE, 2, true), null);
            assertEquals(res.nowagPLoss, res.startLoss(), 1e-9 * res.nowagPLoss, t.name() + " starts at NoWag-P 2:4");
            for (int i = 1; i < res.losses.length; i++) {
                assertTrue(res.losses[i] <= res.losses[i - 1], t.name() + ": loss rose at iteration " + i);
            }
            assertTrue(res.endLoss() < res.startLoss(), t.name() + ": " + res.startLoss() + " -> " + res.endLoss());
            startSum += res.startLoss() / res.proxyEnergy;
            endSum += res.endLoss() / res.proxyEnergy;
            matrices++;
        }
        assertEquals(36, matrices, "MiniLM has 6 layers x 6 linear weights");
        System.err.printf("ARMOR on MiniLM, data-free, 2 iterations: mean relative proxy loss %.4f -> %.4f%n",
                startSum / matrices, endSum / matrices);
    }
}
