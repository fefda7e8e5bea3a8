namespace Funnel.Core;

/// <summary>Input that cannot be read as what it claims to be, located as precisely as the source allows.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates an error naming the file, the 1-based line (0 when lines do not apply) and the field.</summary>
    public DataFormatException(string file, long line, string field, string problem)
        : base(Describe(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates an error about a whole file.</summary>
    public DataFormatException(string file, string problem)
        : this(file, 0, "", problem)
    {
    }

    /// <summary>The file that holds the bad input.</summary>
    public string File { get; }

    /// <summary>1-based line, or 0 when the error is not about one line.</summary>
    public long Line { get; }

    /// <summary>The field (column) at fault, or empty.</summary>
    public string Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Describe(string file, long line, string field, string problem)
    {
        var location = file;
        if (line > 0)
        {
            location += $":{line}";
        }
        if (field.Length > 0)
        {
            location += $" field '{field}'";
        }
        return Printable($"{location}: {problem}");
    }

    /// <summary>
    /// The text with control characters written as \xNN: a message quotes the input, and a binary
    /// file's bytes echoed raw would drive the reader's terminal.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }
        var printable = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                printable.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                printable.Append(c);
            }
        }
        return printable.ToString();
    }
}
