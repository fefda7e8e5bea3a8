using System.Text.Json;

namespace Funnel.Core.Tests;

public sealed class FunnelJsonTests
{
    private enum Shade
    {
        Dark,
    }

    private sealed record Sample(double BestRecall, double Loss, Shade Colour);

    private sealed record Body(string? UserId);

    [Fact]
    public void Files_keep_infinities_and_nan_by_name_and_enums_by_name_in_camel_case()
    {
        var json = JsonSerializer.Serialize(new Sample(double.NegativeInfinity, double.NaN, Shade.Dark), FunnelJson.Files);

        Assert.Contains("\"bestRecall\": \"-Infinity\"", json, StringComparison.Ordinal);
        Assert.Contains("\"colour\": \"Dark\"", json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<Sample>(json, FunnelJson.Files)!;
        Assert.True(double.IsNegativeInfinity(back.BestRecall) && double.IsNaN(back.Loss));
    }

    [Fact]
    public void Documents_are_snake_case_as_the_command_line_contract_fixes()
    {
        var json = JsonSerializer.Serialize(new { BestEpoch = 3 }, FunnelJson.Documents);

        Assert.Contains("\"best_epoch\": 3", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_refuses_a_misspelt_field_rather_than_ignoring_it()
    {
        Assert.Equal("u1", JsonSerializer.Deserialize<Body>("""{"userId":"u1"}""", FunnelJson.Api)!.UserId);

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Body>("""{"userID2":"u1"}""", FunnelJson.Api));
    }
}
