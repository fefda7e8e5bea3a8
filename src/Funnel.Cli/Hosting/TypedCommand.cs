using System.CommandLine;
using Funnel.Torch;

namespace Funnel.Cli.Hosting;

/// <summary>
/// A command whose options are declared once (defaults taken from the library's options records)
/// and bound into one typed arguments record before its body runs, so the body never reads the
/// parse result. Binding errors (a bad list, an unknown choice) get the same one-line error as
/// failures of the body. The process's libtorch set-up happens here, once, before a body that needs
/// it can touch TorchSharp (OpenMP reads its environment when libtorch loads).
/// </summary>
/// <typeparam name="TArguments">What the command was asked, typed.</typeparam>
internal abstract class TypedCommand<TArguments>
{
    /// <summary>The command's name on the command line.</summary>
    protected abstract string Name { get; }

    /// <summary>One sentence for --help.</summary>
    protected abstract string Description { get; }

    /// <summary>The options, in the order --help lists them.</summary>
    protected abstract IEnumerable<Option> Options { get; }

    /// <summary>The command, ready to add to its parent.</summary>
    public Command Create()
    {
        var command = new Command(Name, Description);
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) => CommandRunner.RunAsync(() =>
        {
            var arguments = Bind(parse);
            if (UsesTorch(arguments))
            {
                TorchRuntime.Initialize();
            }
            return RunAsync(arguments, cancellation);
        }));
        return command;
    }

    /// <summary>Reads the options into the arguments record; throws ArgumentException quoting a bad value.</summary>
    protected abstract TArguments Bind(ParseResult parse);

    /// <summary>Whether the body runs libtorch; commands that only read and write data leave it unloaded.</summary>
    protected virtual bool UsesTorch(TArguments arguments) => true;

    /// <summary>The command's body: one library call, then printing.</summary>
    protected abstract Task<int> RunAsync(TArguments arguments, CancellationToken cancellation);
}
