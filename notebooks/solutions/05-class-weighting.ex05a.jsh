// Solution (course: compute_class_freqs)
Exercises.ClassFreqs computeClassFreqs = labels -> {
    int classes = labels[0].length;
    double[] pos = new double[classes];
    double[] neg = new double[classes];
    for (int j = 0; j < classes; j++) {
        for (double[] row : labels) {
            pos[j] += row[j];
        }
        pos[j] /= labels.length;
        neg[j] = 1 - pos[j];
    }
    return new Exercises.Frequencies(pos, neg);
};
