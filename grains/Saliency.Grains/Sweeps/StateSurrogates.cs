using Saliency.Attribution.Sweeps;

namespace Saliency.Grains.Sweeps;

/// <summary>
/// How a rung decision is stored in a coordinator's state: the engine knows no Orleans, so this surrogate carries the
/// field ids. An id is never reused or retyped; a field added takes the next id and a default, which a state stored
/// before it reads as.
/// </summary>
[GenerateSerializer]
struct RungDecisionSurrogate
{
    [Id(0)] public int Trial;
    [Id(1)] public int Rung;
    [Id(2)] public int RungImages;
    [Id(3)] public bool Stopped;
    [Id(4)] public int Best;
    [Id(5)] public int Compared;
    [Id(6)] public int Images;
    [Id(7)] public double? Difference;
    [Id(8)] public double? Low;
    [Id(9)] public double? High;
    [Id(10)] public double Confidence;
    [Id(11)] public string Objective;
}

[RegisterConverter]
sealed class RungDecisionConverter : IConverter<RungDecision, RungDecisionSurrogate>
{
    public RungDecision ConvertFromSurrogate(in RungDecisionSurrogate s) =>
        new(s.Trial, s.Rung, s.RungImages, s.Stopped, s.Best, s.Compared, s.Images, s.Difference, s.Low, s.High, s.Confidence, s.Objective ?? "");

    public RungDecisionSurrogate ConvertToSurrogate(in RungDecision d) => new()
    {
        Trial = d.Trial,
        Rung = d.Rung,
        RungImages = d.RungImages,
        Stopped = d.Stopped,
        Best = d.Best,
        Compared = d.Compared,
        Images = d.Images,
        Difference = d.Difference,
        Low = d.Low,
        High = d.High,
        Confidence = d.Confidence,
        Objective = d.Objective,
    };
}
