using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Saliency.Attribution.Sweeps;

/// <summary>
/// Finds a key given twice in one mapping, with the dotted path of its field. YamlDotNet's document
/// model refuses duplicates too, but without saying which field they belong to.
/// </summary>
internal static class DuplicateKeys
{
    sealed class Collection(string path, bool isMapping)
    {
        public string Path { get; } = path;
        public bool IsMapping { get; } = isMapping;
        public HashSet<string> Keys { get; } = new();
        public bool ExpectsKey { get; set; } = true;
        public string LastKey { get; set; } = "";
    }

    /// <returns>The first repeated key's line and field path, or null when every key is unique.</returns>
    /// <exception cref="YamlException">The text is not valid YAML.</exception>
    public static (int Line, string Field)? Find(string text)
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
                if (current is Scalar && !parent.Keys.Add(parent.LastKey)) return ((int)current.Start.Line, field);
                path = field;
            }
            else
            {
                path = parent is { IsMapping: true } ? Join(parent.Path, parent.LastKey) : parent?.Path ?? "";
                if (parent is { IsMapping: true }) parent.ExpectsKey = true;
            }
            if (current is MappingStart) open.Push(new Collection(path, isMapping: true));
            else if (current is SequenceStart) open.Push(new Collection(path, isMapping: false));
        }
        return null;
    }

    static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
