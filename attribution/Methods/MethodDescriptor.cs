using Saliency.Attribution.Data;

namespace Saliency.Attribution.Methods;

/// <summary>
/// Everything the project knows of one attribution method, in one place: its name in specs and on the command line, its
/// parameters with their kinds and defaults, which of them every trial names, what a map costs in passes, and how the
/// method is built from its arguments. Sweep specs, <c>attribute</c>, the step limit and the catalogue all read
/// descriptors from <see cref="MethodCatalog"/>, so a method is added in one file.
/// </summary>
public abstract class MethodDescriptor
{
    public abstract string Name { get; }

    /// <summary>One line on what the method does, for the catalogue and the docs.</summary>
    public abstract string Summary { get; }

    /// <summary>The parameters a sweep may vary and <c>attribute --param</c> may set, with their defaults.</summary>
    public virtual IReadOnlyList<ParameterDefinition> Parameters => [];

    /// <summary>Parameters every trial's label names, whether or not the spec does, because the map means nothing without them.</summary>
    public virtual IReadOnlyList<string> AlwaysNamed => [];

    /// <summary>The method with <paramref name="arguments"/>' values.</summary>
    public abstract IAttributionMethod Create(MethodArguments arguments);

    /// <summary>What it draws on beyond the model, the images and its parameters: a seed, a layer, other images.</summary>
    public virtual MethodNeeds Needs => MethodNeeds.None;

    /// <summary>
    /// The passes a map takes, by the parameter that sets them, for the cluster's limit on steps per image; null for a
    /// method whose cost no parameter raises. <paramref name="images"/> is read only by methods whose cost depends on the size.
    /// </summary>
    public virtual MethodCost? Cost(MethodArguments arguments, Lazy<ImageShape> images) => null;

    /// <summary>
    /// The values a run used, as <c>attributions.json</c> records them: <paramref name="arguments"/>' values, with those the
    /// method works out from the image's size when left out (occlusion's window and stride) filled in.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> Used(MethodArguments arguments, ImageShape images) => arguments.Values;

    /// <summary>The cost of a method whose passes are one parameter's value.</summary>
    protected static MethodCost CountedBy(MethodArguments arguments, string parameter) =>
        new(parameter, arguments.Text(parameter)!, arguments.Integer(parameter));

    public override string ToString() => Name;
}

/// <summary>The passes per image a trial takes, and the parameter (and its value as given) that sets them.</summary>
public sealed record MethodCost(string Parameter, string Value, long Passes);
