using Funnel.Cli.Commands;
using Funnel.Cli.Hosting;

var parse = FunnelCommand.Create().Parse(args);
return ParseErrors.Report(parse) ?? await parse.InvokeAsync();
