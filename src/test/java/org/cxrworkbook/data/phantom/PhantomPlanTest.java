package org.cxrworkbook.data.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.cxrworkbook.data.Finding;
import org.cxrworkbook.data.ImageRecord;
import org.junit.jupiter.api.Test;

/** Labels without pixels: prevalence against NIH's v2020 counts, the floor, co-occurrence, split sizes. */
class PhantomPlanTest {

    @Test
    void prevalenceMatchesNihWithinBinomialError() {
        // one image per patient makes images independent, so the binomial SD applies exactly
        int n = 20_000;
        List<ImageRecord> records = PhantomGenerator.builder().images(n).meanFollowUps(1).prevalenceFloor(0)
                .minPositivesPerSplit(0).seed(3).build().plan().records();
        for (Finding f : Finding.values()) {
            double target = NihPrevalence.nihCount(f) / 112_120.0;
            double sd = Math.sqrt(target * (1 - target) / n);
            double observed = records.stream().filter(r -> r.has(f)).count() / (double) n;
            assertEquals(target, observed, 4.5 * sd, f.label());
        }
        double noFinding = 60_361 / 112_120.0;
        double observed = records.stream().filter(ImageRecord::noFinding).count() / (double) n;
        assertEquals(noFinding, observed, 4.5 * Math.sqrt(noFinding * (1 - noFinding) / n));
        // NIH: 20,796 of 112,120 images (18.5 %) carry more than one finding
        double multi = records.stream().filter(r -> r.findings().size() > 1).count() / (double) n;
        assertEquals(0.185, multi, 0.03);
    }

    @Test
    void findingsCoOccurAsInNih() {
        int n = 20_000;
        List<ImageRecord> records = PhantomGenerator.builder().images(n).meanFollowUps(1).prevalenceFloor(0)
                .minPositivesPerSplit(0).seed(4).build().plan().records();
        // P(atelectasis | effusion) well above P(atelectasis): NIH has 3,275 of 13,317 effusion images with atelectasis (25 %)
        double atelectasis = records.stream().filter(r -> r.has(Finding.ATELECTASIS)).count() / (double) n;
        List<ImageRecord> effusion = records.stream().filter(r -> r.has(Finding.EFFUSION)).toList();
        double given = effusion.stream().filter(r -> r.has(Finding.ATELECTASIS)).count() / (double) effusion.size();
        assertTrue(given > 1.5 * atelectasis, "P(Atelectasis|Effusion) " + given + " vs P(Atelectasis) " + atelectasis);
    }

    @Test
    void floorPutsEveryFindingIntoEverySplitAtTheDefaultSize() {
        PhantomPlan plan = PhantomGenerator.builder().build().plan();
        List<ImageRecord> records = plan.records();
        assertEquals(1200, records.size());
        Map<String, List<String>> splits = plan.splitLists();
        for (String split : List.of("train_val", "test")) {
            java.util.Set<String> names = new java.util.HashSet<>(splits.get(split));
            for (Finding f : Finding.values()) {
                long positives = records.stream().filter(r -> names.contains(r.imageIndex()) && r.has(f)).count();
                assertTrue(positives >= 3, f + " has " + positives + " positives in " + split);
            }
        }
        // the floor lifts Hernia from NIH's 0.2 % to about 2 %: expected 24 of 1200 images
        long hernia = records.stream().filter(r -> r.has(Finding.HERNIA)).count();
        assertTrue(hernia >= 10 && hernia <= 45, "hernia images: " + hernia);
    }

    @Test
    void followUpsOfAPatientShareFindingsMoreOftenThanStrangers() {
        List<ImageRecord> records = PhantomGenerator.builder().images(4000).meanFollowUps(4).seed(5).build().plan().records();
        int same = 0;
        int pairs = 0;
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).patientId().equals(records.get(i - 1).patientId())) {
                pairs++;
                same += records.get(i).findings().equals(records.get(i - 1).findings()) ? 1 : 0;
            }
        }
        // a follow-up repeats the patient's set with probability 0.5; two independent draws agree about
        // P(both No Finding) = 0.54^2 = 0.29 plus a little, so consecutive follow-ups agree in roughly 0.25 + 0.5 * 0.29 + ... > 0.4
        assertTrue(same / (double) pairs > 0.4, "share of follow-up pairs with equal findings: " + same / (double) pairs);
    }

    @Test
    void siteBHasItsOwnCaseMixAndPatientIds() {
        List<ImageRecord> a = PhantomGenerator.builder().images(6000).meanFollowUps(1).site(Site.A).seed(6).build().plan().records();
        List<ImageRecord> b = PhantomGenerator.builder().images(6000).meanFollowUps(1).site(Site.B).seed(6).build().plan().records();
        long effA = a.stream().filter(r -> r.has(Finding.EFFUSION)).count();
        long effB = b.stream().filter(r -> r.has(Finding.EFFUSION)).count();
        assertTrue(effB > 1.3 * effA, "effusion A " + effA + " B " + effB);
        long apB = b.stream().filter(r -> r.viewPosition().equals("AP")).count();
        assertEquals(0.7, apB / 6000.0, 0.03);
        assertTrue(Integer.parseInt(b.get(0).patientId()) > 50_000);
    }

    @Test
    void followUpCountsAddUpAndAreSkewed() {
        int[] counts = PhantomPlan.followUpCounts(10_000, 2_800, new java.util.SplittableRandom(1));
        assertEquals(10_000, java.util.Arrays.stream(counts).sum());
        assertTrue(java.util.Arrays.stream(counts).allMatch(c -> c >= 1));
        long single = java.util.Arrays.stream(counts).filter(c -> c == 1).count();
        assertTrue(single > 0.2 * counts.length, "many patients have one film, as in NIH: " + single);
        assertTrue(java.util.Arrays.stream(counts).max().orElseThrow() > 15, "and a few have many");
    }
}
