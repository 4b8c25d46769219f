// Solution (course: the weights inside grad_cam): the spatial mean of the gradient per channel.
Exercises.ChannelWeights gradCamWeights = gradient -> {
    double[] weights = new double[gradient.length];
    for (int c = 0; c < gradient.length; c++) {
        double sum = 0;
        int n = 0;
        for (double[] row : gradient[c]) {
            for (double v : row) {
                sum += v;
                n++;
            }
        }
        weights[c] = sum / n;
    }
    return weights;
};
