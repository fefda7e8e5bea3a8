namespace Funnel.Data; internal static class Placeholder { }
