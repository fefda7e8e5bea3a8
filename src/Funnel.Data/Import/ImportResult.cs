using Funnel.Data.Storage;

namespace Funnel.Data.Import;

/// <summary>What an import wrote and what it skipped.</summary>
/// <param name="Manifest">The manifest of the written dataset.</param>
/// <param name="Issues">Rows skipped under --lenient.</param>
public sealed record ImportResult(DatasetManifest Manifest, ImportIssues Issues);
