// libtorch's random generator is process-wide (manual_seed): test classes that seed and build
// networks must not interleave, or a seeded run stops being reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
