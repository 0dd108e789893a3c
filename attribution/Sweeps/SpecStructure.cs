using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// Walks a spec's YAML events once, before any document is built, for what the document model would handle badly or not
/// at all: a key given twice in one mapping (YamlDotNet refuses it without naming the field), nesting deeper than
/// <see cref="SweepSpec.MaxDepth"/> (its loader recurses once per level, and a deep enough document overflows the stack, which no
/// handler can catch), and aliases (a few lines of them expand to billions of nodes). The walk keeps its own stack.
/// </summary>
internal static class SpecStructure
{
    sealed class Collection(string path, bool isMapping)
    {
        public string Path { get; } = path;
        public bool IsMapping { get; } = isMapping;
        public HashSet<string> Keys { get; } = new();
        public bool ExpectsKey { get; set; } = true;
        public string LastKey { get; set; } = "";
    }

    /// <returns>The first problem's line, field path and description, or null when there is none.</returns>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    public static (int Line, string Field, string Problem)? FirstProblem(string text)
    {
        var parser = new Parser(new StringReader(text));
        var open = new Stack<Collection>();
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (current is MappingEnd or SequenceEnd) { open.Pop(); continue; }
            if (current is not (Scalar or MappingStart or SequenceStart or AnchorAlias)) continue;

            var parent = open.Count > 0 ? open.Peek() : null;
            string path;
            if (parent is { IsMapping: true, ExpectsKey: true })
            {
                parent.ExpectsKey = false;
                parent.LastKey = current is Scalar key ? key.Value : "?";
                var field = Join(parent.Path, parent.LastKey);
                if (current is Scalar && !parent.Keys.Add(parent.LastKey)) return ((int)current.Start.Line, field, $"'{parent.LastKey}' is given twice");
                path = field;
            }
            else
            {
                path = parent is { IsMapping: true } ? Join(parent.Path, parent.LastKey) : parent?.Path ?? "";
                if (parent is { IsMapping: true }) parent.ExpectsKey = true;
            }
            if (current is AnchorAlias)
                return ((int)current.Start.Line, path, "aliases (*name) are not allowed in a sweep spec: write the value out");
            if (current is MappingStart or SequenceStart && open.Count == SweepSpec.MaxDepth)
                return ((int)current.Start.Line, path, $"nested deeper than {SweepSpec.MaxDepth} levels of mappings and lists");
            if (current is MappingStart) open.Push(new Collection(path, isMapping: true));
            else if (current is SequenceStart) open.Push(new Collection(path, isMapping: false));
        }
        return null;
    }

    static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
