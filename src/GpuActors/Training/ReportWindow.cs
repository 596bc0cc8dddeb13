namespace HyperSwarm.GpuActors.Training;

/// <summary>Loss and throughput accumulated since the previous progress report.</summary>
internal sealed class ReportWindow(TimeSpan start)
{
    private TimeSpan start = start;
    private double trainLoss;
    private int weightSteps;
    private double hyperLoss;
    private int hyperSteps;
    private long images;

    /// <summary>Whether no step landed since the last report.</summary>
    public bool IsEmpty => weightSteps == 0 && hyperSteps == 0;

    public void AddWeight(double loss, int batch)
    {
        trainLoss += loss;
        weightSteps++;
        images += batch;
    }

    public void AddHyper(double loss)
    {
        hyperLoss += loss;
        hyperSteps++;
    }

    /// <summary>Means and images/s since the last call, then starts a new window at <paramref name="now"/>.</summary>
    public (double TrainLoss, double HyperLoss, double ImagesPerSecond) Take(TimeSpan now)
    {
        var seconds = (now - start).TotalSeconds;
        var result = (
            weightSteps > 0 ? trainLoss / weightSteps : double.NaN,
            hyperSteps > 0 ? hyperLoss / hyperSteps : double.NaN,
            seconds > 0 ? images / seconds : 0);
        (trainLoss, weightSteps, hyperLoss, hyperSteps, images, start) = (0, 0, 0, 0, 0, now);
        return result;
    }
}
