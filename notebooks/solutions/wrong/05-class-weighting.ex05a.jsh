// A typical wrong answer, used by ./cxr test to prove that the check reports it: counts instead of frequencies.
Exercises.ClassFreqs computeClassFreqs = labels -> {
    double[] pos = new double[labels[0].length];
    double[] neg = new double[labels[0].length];
    for (double[] row : labels) {
        for (int j = 0; j < row.length; j++) {
            pos[j] += row[j];
            neg[j] += 1 - row[j];
        }
    }
    return new Exercises.Frequencies(pos, neg);
};
