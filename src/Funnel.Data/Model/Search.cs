namespace Funnel.Data.Model;

/// <summary>One search query typed by a user.</summary>
/// <param name="User">Dense user index.</param>
/// <param name="Time">Unix seconds.</param>
/// <param name="Query">The query text as typed.</param>
public readonly record struct Search(int User, long Time, string Query);
