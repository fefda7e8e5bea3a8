namespace Funnel.Core.Tests;

public sealed class DataFormatExceptionTests
{
    [Theory]
    [InlineData(12, "age", "u.user:12 field 'age': not a number")]
    [InlineData(0, "age", "u.user field 'age': not a number")] // no line: about the file's field
    [InlineData(0, "", "u.user: not a number")] // about the whole file
    public void The_message_names_the_file_line_and_field_it_has(long line, string field, string expected)
    {
        Assert.Equal(expected, new DataFormatException("u.user", line, field, "not a number").Message);
    }
}
