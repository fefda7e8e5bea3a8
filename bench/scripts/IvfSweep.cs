#:project ../../src/Funnel.Retrieval/Funnel.Retrieval.csproj
#:property PublishAot=false
// Funnel's inverted file at serving's k = 300 on the ANN peer files, one query at a time on one
// thread, against the exact top 300 that bench/scripts/ann_k300.py truth wrote:
//   dotnet run -c Release bench/scripts/IvfSweep.cs -- TAG cosine|ip RESCORES PROBES
//   e.g. dotnet run -c Release bench/scripts/IvfSweep.cs -- cos_ cosine 2,0 8,12,16,24
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Funnel.Retrieval;
using Funnel.Retrieval.Ivf;

const int Count = 1_000_000, Dimensions = 256, Queries = 1_000, K = 300;
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: IvfSweep.cs TAG cosine|ip RESCORES PROBES (e.g. cos_ cosine 2,0 8,12,16,24)");
    return 2;
}
var data = Path.Combine(Environment.GetEnvironmentVariable("PEERS_OUT") ?? Path.Combine(Path.GetTempPath(), "funnel-peers"), "data");
var tag = args[0];
var metric = args[1] == "cosine" ? IndexMetric.Cosine : IndexMetric.InnerProduct;
var vectors = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(data, $"{tag}base_{Count}x{Dimensions}.f32"))).ToArray();
var queries = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(data, $"{tag}query_{Queries}x{Dimensions}.f32"))).ToArray();
// numpy's .npy: a 128-byte header, then int64 row-major.
var truth = MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(Path.Combine(data, $"{tag}gt300.npy")).AsSpan(128)).ToArray();
var keys = Enumerable.Range(0, Count).Select(i => (long)i).ToArray();
foreach (var rescore in args[2].Split(',').Select(int.Parse))
{
    var clock = Stopwatch.StartNew();
    using var index = IvfIndex.Build(vectors, keys, Dimensions, metric, new IvfOptions(Rescore: rescore));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{tag} {metric} rescore {rescore}: built in {clock.Elapsed.TotalSeconds:F1} s, {index.Lists} lists"));
    foreach (var probes in args[3].Split(',').Select(int.Parse))
    {
        index.Probes = probes;
        var results = new Neighbour[Queries][];
        clock.Restart();
        for (var q = 0; q < Queries; q++)
        {
            results[q] = index.Search(queries.AsSpan(q * Dimensions, Dimensions), K);
        }
        var ms = clock.Elapsed.TotalMilliseconds / Queries;
        var found = Enumerable.Range(0, Queries).Average(q =>
        {
            var exact = truth.AsSpan(q * K, K).ToArray().ToHashSet();
            return results[q].Count(n => exact.Contains(n.Key)) / (double)K;
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  probes {probes}: recall@300 {found:F4}, {ms:F3} ms/query"));
    }
}
return 0;
