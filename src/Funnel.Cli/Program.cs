using Funnel.Cli.Commands;

return await FunnelCommand.Create().Parse(args).InvokeAsync();
