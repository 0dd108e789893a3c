namespace Saliency.Grains.Contracts;

/// <summary>
/// Marks a grain method that clients may call: submit, watch, fetch results, stop, resume and cancel. Every other method
/// of Saliency's grain interfaces is for silos alone, and a silo refuses it from a client (see docs/cluster.md).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ClientFacingAttribute : Attribute;
