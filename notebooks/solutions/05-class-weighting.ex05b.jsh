// Solution (course: get_weighted_loss)
Exercises.WeightedLoss weightedLoss = (y, p, posWeights, negWeights, epsilon) -> {
    double loss = 0;
    for (int j = 0; j < posWeights.length; j++) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += -(posWeights[j] * y[i][j] * Math.log(p[i][j] + epsilon)
                    + negWeights[j] * (1 - y[i][j]) * Math.log(1 - p[i][j] + epsilon));
        }
        loss += sum / y.length;
    }
    return loss;
};
