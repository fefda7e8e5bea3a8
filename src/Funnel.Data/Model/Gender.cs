namespace Funnel.Data.Model;

/// <summary>A user's gender as the logs record it.</summary>
public enum Gender : byte
{
    /// <summary>Not recorded.</summary>
    Unknown = 0,

    /// <summary>Female.</summary>
    Female = 1,

    /// <summary>Male.</summary>
    Male = 2,
}
