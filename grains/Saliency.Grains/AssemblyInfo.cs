using System.Runtime.CompilerServices;

// The grains are internal but for what Orleans and the hosting entry points need; their tests reach the rest here.
[assembly: InternalsVisibleTo("Saliency.Grains.Tests")]
