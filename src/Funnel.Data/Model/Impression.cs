namespace Funnel.Data.Model;

/// <summary>One video shown to a user on a page, and what the user did with it.</summary>
/// <param name="User">Dense user index.</param>
/// <param name="Video">Dense video index.</param>
/// <param name="Time">Unix seconds.</param>
/// <param name="Page">Id of the page (slate) the video was shown on; impressions on one page compete.</param>
/// <param name="Position">0-based position on the page.</param>
/// <param name="Clicked">Whether the user clicked it.</param>
/// <param name="WatchSeconds">Seconds watched after the click; 0 when not clicked, NaN when unknown.</param>
public readonly record struct Impression(int User, int Video, long Time, long Page, int Position, bool Clicked, float WatchSeconds);
