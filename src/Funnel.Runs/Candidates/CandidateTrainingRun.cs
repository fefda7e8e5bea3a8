using System.Globalization;
using System.Text;
using Funnel.Candidates.Inference;
using Funnel.Candidates.Model;
using Funnel.Candidates.Training;
using Funnel.Core;
using Funnel.Data.Examples;
using Funnel.Data.Storage;
using Funnel.Evaluation;
using Funnel.Retrieval;
using Funnel.Retrieval.Selection;
using Funnel.Runs.Reports;
using Funnel.Torch;

namespace Funnel.Runs.Candidates;

/// <summary>
/// `funnel train candidates`: dataset → split → trained network → test metrics → model folder, with
/// checkpoints under MODEL/training so an interrupted run resumes where it stopped.
/// </summary>
public static class CandidateTrainingRun
{
    /// <summary>The sub-folder of checkpoints and the training curve.</summary>
    public const string TrainingFolder = "training";

    /// <summary>Trains and writes the model folder (with a video index of kind <paramref name="index"/>); returns its manifest.</summary>
    public static async Task<CandidateModelManifest> RunAsync(
        string data,
        string model,
        SplitOptions splitOptions,
        ExampleOptions examples,
        NetworkShape shape,
        CandidateTrainingOptions training,
        IndexKind index = IndexKind.Auto,
        Action<TrainingProgress>? progress = null,
        Action<string>? log = null,
        CancellationToken cancellation = default)
    {
        var dataset = await Dataset.OpenAsync(data, cancellation).ConfigureAwait(false);
        var timelines = await TimelineLoader.LoadAsync(dataset, cancellation).ConfigureAwait(false);
        var split = DataSplit.Create(timelines, splitOptions, examples);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"train: {split.Train.Count:N0} examples, {split.Videos.Rows - 1:N0} videos, {split.Validation.Count:N0} validation and {split.Test.Count:N0} test queries"));
        var network = CandidateNetworkOptions.ForSplit(split, shape);
        using var trainer = new CandidateTrainer(split, network, training);
        var trainingFolder = Path.Combine(model, TrainingFolder);
        trainer.Train(progress, trainingFolder, cancellation);

        return Publish(dataset, data, model, splitOptions, examples, split, trainer, index, log);
    }

    /// <summary>
    /// Tests a trained network's kept weights on the split's test queries and writes the model folder
    /// (network, video index, manifest, training curve): the end of a training run, and of `funnel tune`,
    /// which publishes its chosen trial's trainer instead of training the recipe again.
    /// </summary>
    internal static CandidateModelManifest Publish(Dataset dataset, string data, string model, SplitOptions splitOptions, ExampleOptions examples, DataSplit split, CandidateTrainer trainer, IndexKind index, Action<string>? log)
    {
        var network = trainer.Network.Options;
        var training = trainer.Options;
        log?.Invoke("train: testing the kept weights on the full corpus");
        var test = new RetrievalEvaluator(split, new RetrievalEvaluationOptions(Seed: training.Seed)).Evaluate(new NetworkRetrievalModel(trainer.Network), split.Test);
        WriteCurve(Path.Combine(model, TrainingFolder), trainer.History, $"validation {training.ValidationMetric}@{training.ValidationK}");
        var manifest = new CandidateModelManifest(
            CandidateModelManifest.CurrentFormatVersion,
            DateTimeOffset.UtcNow,
            dataset.Manifest.Name,
            Path.GetFullPath(data),
            splitOptions,
            examples,
            network,
            training,
            CandidateModelFolder.VocabularyFingerprint(split),
            [network.Videos, network.EmbeddingDimension],
            trainer.History,
            trainer.BestEpoch,
            test);
        log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"train: writing the model folder with its {IndexChoice.Resolve(index, network.Videos - 1).ToString().ToLowerInvariant()} index of {network.Videos - 1:N0} videos (HNSW builds take about 10 minutes per million videos on 2 cores)"));
        CandidateModelFolder.Save(model, trainer.Network, split, manifest, index);
        return manifest;
    }

    /// <summary>curve.csv and curve.png: loss and the validation figure (<paramref name="validation"/>, e.g. "validation recall@100") per epoch.</summary>
    private static void WriteCurve(string folder, IReadOnlyList<EpochRecord> history, string validation)
    {
        Directory.CreateDirectory(folder);
        var csv = new StringBuilder("epoch,loss,validation,examples_per_s,seconds\n");
        foreach (var e in history)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{e.Loss:G6},{e.Validation:G6},{e.ExamplesPerSecond:F0},{e.Seconds:F1}\n");
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "curve.csv"), csv.ToString());
        var epochs = history.Select(e => (double)e.Epoch).ToArray();
        LineChart.Save(
            Path.Combine(folder, "curve.png"),
            "Candidate generation training",
            "epoch",
            "sampled-softmax loss",
            [new Series("loss", epochs, [.. history.Select(e => e.Loss)]), new Series(validation, epochs, [.. history.Select(e => double.IsNaN(e.Validation) ? 0 : e.Validation)], RightAxis: true)],
            rightLabel: validation);
    }
}
