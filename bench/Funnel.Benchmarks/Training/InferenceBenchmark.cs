using System.Diagnostics;
using System.Globalization;
using Funnel.Candidates.Batching;
using Funnel.Candidates.Model;
using Funnel.Candidates.Softmax;
using Funnel.Data.Examples;
using static TorchSharp.torch;

namespace Funnel.Benchmarks.Training;

/// <summary>One user-vector inference measurement (`funnel bench inference --json` rows).</summary>
/// <param name="System">funnel or pytorch.</param>
/// <param name="Videos">Video vocabulary size.</param>
/// <param name="Batch">Users per forward call.</param>
/// <param name="MsPerRequest">Milliseconds per user vector.</param>
public sealed record InferenceBenchmarkRow(string System, int Videos, int Batch, double MsPerRequest);

/// <summary>
/// funnel bench inference: milliseconds per user vector at batch 1 and 256 for the paper's network,
/// with the protocol of ../shared/peers/train_bench.py serve (precomputed inputs, 10 warm-up calls,
/// at least 20 calls and half of MinSeconds timed).
/// </summary>
public static class InferenceBenchmark
{
    private static readonly int[] Batches = [1, 256];

    /// <summary>Measures Funnel, then the peer when a script is given.</summary>
    public static IReadOnlyList<InferenceBenchmarkRow> Run(int videos, double minSeconds, string? peerScript, Action<string> log)
    {
        var rows = new List<InferenceBenchmarkRow>();
        manual_seed(1);
        using var network = new CandidateNetwork(TrainingBenchmarkOptions.PaperNetwork(videos));
        network.eval();
        var random = new Random(1);
        var videoSampler = new LogUniformSampler(videos + 1);
        var tokenSampler = new LogUniformSampler(TrainingBenchmarkOptions.Tokens + 1);
        foreach (var size in Batches)
        {
            var batch = new CandidateBatch(size, TrainingBenchmarkOptions.BagLength);
            var watched = new long[TrainingBenchmarkOptions.BagLength];
            var searched = new long[TrainingBenchmarkOptions.BagLength];
            for (var i = 0; i < size; i++)
            {
                videoSampler.Sample(random, watched);
                tokenSampler.Sample(random, searched);
                batch.Add(watched, searched, 0, 1, 1, 1, 1, 30, 0.0);
            }
            using var inputs = CandidateBatchTensors.From(batch);
            using var _ = no_grad();
            for (var i = 0; i < 10; i++)
            {
                network.forward(inputs).Dispose();
            }
            var clock = Stopwatch.StartNew();
            var calls = 0;
            while (clock.Elapsed.TotalSeconds < minSeconds / 2 || calls < 20)
            {
                network.forward(inputs).Dispose();
                calls++;
            }
            rows.Add(new InferenceBenchmarkRow("funnel", videos, size, Math.Round(clock.Elapsed.TotalMilliseconds / (calls * size), 4)));
            log(string.Create(CultureInfo.InvariantCulture, $"bench inference: funnel V={videos:N0} batch {size}: {rows[^1].MsPerRequest} ms per user vector"));
        }
        if (peerScript is not null)
        {
            var result = PeerScript.Run(peerScript, minSeconds, "serve", videos.ToString(CultureInfo.InvariantCulture));
            foreach (var size in Batches)
            {
                rows.Add(new InferenceBenchmarkRow("pytorch", videos, size, Math.Round(result.GetProperty($"ms_per_req_b{size}").GetDouble(), 4)));
                log(string.Create(CultureInfo.InvariantCulture, $"bench inference: pytorch V={videos:N0} batch {size}: {rows[^1].MsPerRequest} ms per user vector"));
            }
        }
        return rows;
    }
}
