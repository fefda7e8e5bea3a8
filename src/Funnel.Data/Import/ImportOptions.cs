namespace Funnel.Data.Import;

/// <summary>How an importer treats bad rows and an existing output folder.</summary>
/// <param name="Lenient">Skip malformed rows and count them by reason, instead of stopping at the first.</param>
/// <param name="Overwrite">Replace an existing dataset at the output path (atomically).</param>
public sealed record ImportOptions(bool Lenient = false, bool Overwrite = false);
