using System.CommandLine;

namespace Funnel.Cli.Hosting;

/// <summary>
/// A command line that does not parse: the errors, one line each on stderr, and where the help is,
/// instead of the whole help text on stdout, where the error would scroll away and a script reading
/// stdout would take the help for output.
/// </summary>
internal static class ParseErrors
{
    /// <summary>Reports <paramref name="parse"/>'s errors; returns the exit code, or null when it parsed.</summary>
    public static int? Report(ParseResult parse)
    {
        if (parse.Errors.Count == 0)
        {
            return null;
        }
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine("funnel: error: " + error.Message.ReplaceLineEndings(" "));
        }
        Console.Error.WriteLine($"funnel: see '{CommandPath(parse.CommandResult.Command)} --help'");
        return ExitCodes.BadInput;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Command? at = command; at is not null; at = at.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Add(at is RootCommand ? "funnel" : at.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
