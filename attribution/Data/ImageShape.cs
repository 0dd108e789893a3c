namespace Saliency.Attribution.Data;

/// <summary>Channel-first shape of one image.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;
    public long[] WithBatch(long count) => new[] { count, Channels, Height, Width };
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
