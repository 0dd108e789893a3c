using static Saliency.Attribution.Methods.MethodParameters;

namespace Saliency.Attribution.Methods;

/// <summary>Occlusion (<see cref="Occlusion"/>): a window slid over the image; window and stride follow the image's side when left out.</summary>
public sealed class OcclusionDescriptor : MethodDescriptor
{
    public const string Window = "window", Stride = "stride";

    public override string Name => "occlusion";
    public override string Summary => "Occlusion: the score's drop as a window of the image is filled, slid across it.";

    public override IReadOnlyList<ParameterDefinition> Parameters { get; } =
        [new(Window, ParameterKind.Count, null), new(Stride, ParameterKind.Count, null), new(Fill, ParameterKind.Substrate, OcclusionOptions.DefaultFill)];

    public override IAttributionMethod Create(MethodArguments arguments) => new Occlusion(Options(arguments), arguments.Score, arguments.Batch);

    static OcclusionOptions Options(MethodArguments arguments) =>
        new() { Window = arguments.OptionalInteger(Window), Stride = arguments.OptionalInteger(Stride), Fill = arguments.Substrate(Fill) };

    public override IReadOnlyDictionary<string, string> Used(MethodArguments arguments, Data.ImageShape images)
    {
        var (window, stride) = Options(arguments).Resolve(images.Height, images.Width);
        return new Dictionary<string, string>(arguments.Values)
        {
            [Window] = window.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [Stride] = stride.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public override MethodCost Cost(MethodArguments arguments, Lazy<Data.ImageShape> images)
    {
        var options = Options(arguments);
        var stride = arguments.Text(Stride) ?? $"{options.Resolve(images.Value.Height, images.Value.Width).Stride} (default)";
        return new MethodCost(Stride, stride, options.Windows(images.Value));
    }
}
