using Saliency.Web.Runs;

namespace Saliency.Web.Tests;

public sealed class LogTailTests
{
    [Fact]
    public void A_line_not_yet_ended_is_left_for_the_next_read()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "log.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"b\":");
        var tail = new LogTail(path);

        Assert.Equal(["{\"a\":1}"], tail.ReadNew().Select(l => l.Line));
        File.AppendAllText(path, "2}\n");
        var next = tail.ReadNew();

        Assert.Equal(["{\"b\":2}"], next.Select(l => l.Line));
        Assert.Equal(8, next[0].Offset);
        Assert.Equal("{\"b\":2}", tail.LineAt(next[0].Offset));
    }

    [Fact]
    public void A_missing_file_has_no_lines()
    {
        Assert.Empty(new LogTail(Path.Combine(TestData.TemporaryDirectory(), "none.jsonl")).ReadNew());
    }

    [Fact]
    public void A_file_that_shrank_is_refused_naming_it()
    {
        var path = Path.Combine(TestData.TemporaryDirectory(), "log.jsonl");
        File.WriteAllText(path, "{}\n{}\n");
        var tail = new LogTail(path);
        tail.ReadNew();
        File.WriteAllText(path, "{}\n");

        var error = Assert.Throws<InvalidDataException>(() => tail.ReadNew());
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
