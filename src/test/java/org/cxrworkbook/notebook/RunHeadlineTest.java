package org.cxrworkbook.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHeadlineTest {

    private static final MachineFacts MACHINE =
            new MachineFacts(2, 24L << 30, 6L << 30, "17.0.15 (test VM)", "nd4j-native (CPU)");

    @TempDir
    Path tmp;

    /** A work folder as notebooks 02, 06 and 07 leave it: split settings and lists, data settings, roc.json. */
    private Path work(double atelectasis, double mean) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(work.resolve("splits"));
        Files.createDirectories(work.resolve("metrics"));
        Files.writeString(work.resolve("splits/split-settings.json"), """
                {"data_sha256": "abc123", "seed": 42, "images": {"train": 768, "val": 193, "test": 239}}""");
        Files.writeString(work.resolve("splits/train_list.txt"), "00000001_000.png\n");
        Files.writeString(work.resolve("splits/val_list.txt"), "00000002_000.png\n");
        Files.writeString(work.resolve("splits/test_list.txt"), "00000003_000.png\n");
        Files.writeString(work.resolve("data-settings.json"), """
                {"data_dir": "/data/phantom", "image_size": 128, "phantom": true}""");
        Files.writeString(work.resolve("metrics/roc.json"), String.format(java.util.Locale.ROOT, """
                {"images": 239, "patients": 88, "bootstrap": 1000, "resampling": "patient", "mean_auc": %s,
                 "mean_ci_low": 0.6946, "mean_ci_high": 0.7730, "defined_findings": 2,
                 "findings": {"Atelectasis": {"auc": %s, "ci_low": 0.9185, "ci_high": 0.9896, "n_pos": 29},
                              "Hernia": {"auc": 0.3111, "ci_low": 0.111, "ci_high": 0.629, "n_pos": 9}}}""",
                mean, atelectasis));
        return work;
    }

    private Path reference() throws Exception {
        Path ref = tmp.resolve("reference.json");
        Files.writeString(ref, """
                {"measured": "2026-12-04, commit 853b86b", "data_sha256": "abc123", "test_images": 239,
                 "test_patients": 88, "mean_auc": 0.7308, "tolerance": 0.005,
                 "settings": {"imageSize": 128, "channels": 3, "seed": 42, "valFraction": 0.2, "batchSize": 8,
                   "model": "densenet121", "startingWeights": "", "stage1Epochs": 30, "stage1LearningRate": 0.001,
                   "stage2Epochs": 5, "stage2LearningRate": 1.0E-4, "stage2UnfreezeLayers": 1, "stage3Enabled": false,
                   "stage3Epochs": 5, "stage3LearningRate": 1.0E-5, "maxImages": 0, "maxBatches": 0,
                   "earlyStoppingPatience": 5, "reduceLrPatience": 3, "bootstrap": 1000},
                 "findings": {"Atelectasis": 0.9609, "Hernia": 0.3111}}""");
        return ref;
    }

    private static org.nd4j.shade.jackson.databind.JsonNode run(String params) throws Exception {
        return new org.nd4j.shade.jackson.databind.ObjectMapper().readTree("""
                {"params": {%s}, "commit": "0123abcd", "host": "vm", "total_seconds": 451.0,
                 "notebooks": [{"notebook": "01-loading.ipynb", "seconds": 21.0, "status": "ok"},
                               {"notebook": "06-densenet-training.ipynb", "seconds": 220.2, "status": "ok"}],
                 "kernel": {"implementation": "rapaio-jupyter-kernel", "version": "3.0.1"}}""".formatted(params));
    }

    @Test
    void headlineSaysWhatRanOnWhatDataTheAucWithItsIntervalAndTheTimes() throws Exception {
        String h = new RunHeadline(run(""), work(0.9609, 0.7308), null).headline();
        assertTrue(h.contains("<b>DenseNet121</b> trained on 768 phantom films, validated on 193, tested on 239"), h);
        assertTrue(h.contains("Mean test AUC <b>0.731</b> (95 % CI 0.695–0.773, bootstrap over patients, 1,000 "
                + "replicates) on 239 test films of 88 patients"), h);
        assertTrue(h.contains("Notebooks 7 min 31 s in total; the longest, 06-densenet-training.ipynb, 3 min 40 s. "
                + "2 of 2 ran through."), h);
    }

    @Test
    void theSameDataAndSettingsWithinToleranceMatchTheReference() throws Exception {
        RunHeadline top = new RunHeadline(run("\"CXR_DATA_DIR\": \"/data/phantom\""), work(0.9630, 0.7290), reference());
        assertEquals(java.util.List.of(), top.notComparable());
        assertTrue(top.referenceComparison().contains("<b>Matches the reference</b> (2026-12-04, commit 853b86b): mean "
                + "test AUC and all 2 findings within ±0.005"), top.referenceComparison());
        assertTrue(top.aucTable().contains("<td>Atelectasis</td><td>29</td><td>0.963</td><td>0.919–0.990</td>"
                + "<td>0.961</td><td>+0.002</td>"), top.aucTable());
    }

    @Test
    void aDifferenceBeyondToleranceIsListed() throws Exception {
        RunHeadline top = new RunHeadline(run(""), work(0.9509, 0.7208), reference());
        assertEquals(java.util.List.of("mean 0.721 vs 0.731 (-0.010)", "Atelectasis 0.951 vs 0.961 (-0.010)"),
                top.differences());
        assertTrue(top.referenceComparison().contains("<b>Differs from the reference</b>"), top.referenceComparison());
    }

    @Test
    void filmsOfAnotherPhantomRendererAreNotComparedAndSaySo() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("phantom"));
        Files.writeString(data.resolve("phantom.json"), "{\"generator\": \"cxr-workbook phantom\", \"images\": 1200}");
        Path work = work(0.9609, 0.7308);
        Files.writeString(work.resolve("data-settings.json"), "{\"data_dir\": \"" + data + "\", \"image_size\": 128}");
        Path ref = reference();
        Files.writeString(ref, Files.readString(ref).replace("\"test_images\"", "\"renderer\": \"attenuation\", \"test_images\""));
        RunHeadline top = new RunHeadline(run(""), work, ref);
        assertEquals(java.util.List.of("films drawn by the classic renderer vs attenuation"), top.notComparable());

        Files.writeString(data.resolve("phantom.json"), "{\"images\": 1200, \"renderer\": \"attenuation\"}");
        assertEquals(java.util.List.of(), new RunHeadline(run(""), work, ref).notComparable());
    }

    @Test
    void otherSettingsAreNotComparedAndSaySo() throws Exception {
        RunHeadline top = new RunHeadline(run("\"CXR_EPOCHS\": \"1\""), work(0.9609, 0.7308), reference());
        assertEquals(java.util.List.of("stage1Epochs 30 → 1", "stage2Epochs 5 → 1", "stage3Epochs 5 → 1"),
                top.notComparable());
        assertTrue(top.referenceComparison().contains("Not comparable with the reference default run (2026-12-04, "
                + "commit 853b86b): stage1Epochs 30 → 1; stage2Epochs 5 → 1; stage3Epochs 5 → 1."));
        assertTrue(!top.aucTable().contains("<th>reference</th>"), "no reference column when not comparable");
    }

    @Test
    void receiptNamesCommitSettingsHashesKernelAndHost() throws Exception {
        Path work = work(0.9609, 0.7308);
        String r = new RunHeadline(run(""), work, null).receipt(MACHINE);
        assertTrue(r.contains("<th>commit</th><td style=\"white-space:pre-wrap\">0123abcd</td>"), r);
        assertTrue(r.contains("classroom defaults"), r);
        assertTrue(r.contains("abc123"), "data files' SHA-256");
        assertTrue(r.contains("rapaio-jupyter-kernel 3.0.1"), r);
        assertTrue(r.contains("vm, 2 cores"), r);
        assertTrue(r.contains("DL4J 1.0.0-M2.1"), r);
        // SHA-256 over "train_list.txt" + its bytes, "val_list.txt" + …, "test_list.txt" + …, computed here
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (String f : java.util.List.of("train_list.txt", "val_list.txt", "test_list.txt")) {
            sha.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(work.resolve("splits").resolve(f)));
        }
        assertTrue(r.contains(java.util.HexFormat.of().formatHex(sha.digest())), r);
    }

    @Test
    void aRunWithoutRocSaysSo() throws Exception {
        Path work = work(0.9609, 0.7308);
        Files.delete(work.resolve("metrics/roc.json"));
        RunHeadline top = new RunHeadline(run(""), work, reference());
        assertTrue(top.headline().contains("No test AUC: notebook 07 did not write <code>metrics/roc.json</code>"));
        assertEquals(java.util.List.of("this run has no metrics/roc.json"), top.notComparable());
        assertEquals("", top.aucTable());
    }
}
