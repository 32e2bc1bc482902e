namespace Millwright.Tailoring;

/// <summary>Ordinary least squares with an intercept: the baseline inference must beat.</summary>
internal sealed class LeastSquares
{
    private readonly double[] _beta;

    private LeastSquares(double[] beta) => _beta = beta;

    public static LeastSquares Fit(IReadOnlyList<double[]> inputs, IReadOnlyList<double> targets)
    {
        var p = inputs[0].Length + 1;
        var a = new double[p * p];
        var b = new double[p];
        var x = new double[p];
        for (var r = 0; r < inputs.Count; r++)
        {
            x[0] = 1;
            inputs[r].CopyTo(x, 1);
            for (var i = 0; i < p; i++)
            {
                b[i] += x[i] * targets[r];
                for (var j = 0; j < p; j++)
                {
                    a[i * p + j] += x[i] * x[j];
                }
            }
        }

        Matrix.CholeskySolve(Matrix.Cholesky(a, p), p, b);
        return new LeastSquares(b);
    }

    public double Predict(ReadOnlySpan<double> input)
    {
        var sum = _beta[0];
        for (var i = 0; i < input.Length; i++)
        {
            sum += _beta[i + 1] * input[i];
        }

        return sum;
    }
}
