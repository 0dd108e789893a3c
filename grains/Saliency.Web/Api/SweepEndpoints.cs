using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Saliency.Web.Pictures;
using Saliency.Web.Sources;

namespace Saliency.Web.Api;

/// <summary>The routes: the three pages, the API beside them, and the pictures.</summary>
public static class SweepEndpoints
{
    /// <summary>The most images <c>?order=disagreement</c> lists at once.</summary>
    public const int MaxListedImages = 500;

    public static void Map(IEndpointRouteBuilder routes, IFileProvider files)
    {
        routes.MapGet("/", () => Page(files, "index.html"));
        routes.MapGet("/sweeps/{id}", (string id) => Page(files, "sweep.html"));
        routes.MapGet("/sweeps/{id}/images/{index:int}", (string id, int index) => Page(files, "image.html"));

        routes.MapGet("/api/sweeps", async (ISweepSource source, CancellationToken cancellation) => await Answer(async () =>
        {
            var rows = new JsonArray();
            foreach (var entry in await source.List(cancellation))
                rows.Add(SweepDocuments.Listing(entry, await source.State(entry.Id, cancellation)));
            return Results.Json(rows, SweepDocuments.Json);
        }));
        routes.MapGet("/api/sweeps/{id}", async (string id, ISweepSource source, CancellationToken cancellation) => await Answer(async () =>
            await source.State(id, cancellation) is { } state ? Results.Json(SweepDocuments.Sweep(state), SweepDocuments.Json) : NotFound($"no sweep {id}")));
        routes.MapGet("/api/sweeps/{id}/images", async (string id, string? order, int? limit, ISweepSource source, CancellationToken cancellation) => await Answer(async () =>
        {
            if (await source.State(id, cancellation) is not { Run: { } run }) return NotFound($"no readable sweep {id}");
            if (order is not (null or "disagreement")) return BadRequest($"order '{order}' is not known: disagreement is");
            return Results.Json(SweepDocuments.ImagesByDisagreement(run, Math.Clamp(limit ?? 100, 1, MaxListedImages)), SweepDocuments.Json);
        }));
        routes.MapGet("/api/sweeps/{id}/images/{index:int}", async (string id, int index, ISweepSource source, CancellationToken cancellation) =>
            await Answer(async () =>
            {
                var (state, error) = await Image(source, id, index, cancellation);
                return error ?? Results.Json(SweepDocuments.Image(state!, index), SweepDocuments.Json);
            }));
        routes.MapGet("/api/sweeps/{id}/images/{index:int}/image.png", async (string id, int index, ISweepSource source, MapPictures pictures, CancellationToken cancellation) =>
            await Answer(async () =>
            {
                var (state, error) = await Image(source, id, index, cancellation);
                return error ?? Png(pictures.Image(state!.Run!, index));
            }));
        routes.MapGet("/api/sweeps/{id}/images/{index:int}/maps/{trial:int}.png", async (string id, int index, int trial, string? scale,
            ISweepSource source, MapPictures pictures, CancellationToken cancellation) => await Answer(async () =>
        {
            var (state, error) = await Image(source, id, index, cancellation);
            if (error is not null) return error;
            var run = state!.Run!;
            if (!run.Spec.Trials.Any(t => t.Index == trial)) return NotFound($"sweep {id} has no trial {trial}");
            if (scale is not (null or "own" or "shared")) return BadRequest($"scale '{scale}' is not known: own or shared");
            var png = scale == "shared" ? pictures.SharedScaleMap(run, trial, index, run.Spec.Trials.Select(t => t.Index)) : pictures.Map(run, trial, index);
            return png is null ? NotFound($"trial {trial} has no map of image {index} yet") : Png(png);
        }));
    }

    static async Task<(Sources.SweepState? State, IResult? Error)> Image(ISweepSource source, string id, int index, CancellationToken cancellation)
    {
        if (await source.State(id, cancellation) is not { } state) return (null, NotFound($"no sweep {id}"));
        if (state.Run is null) return (null, Results.Json(new JsonObject { ["error"] = state.Unreadable ?? "the run directory cannot be read here" }, statusCode: 409));
        var count = state.Run.Images.Count;
        if (index < 0 || index >= count) return (null, NotFound($"sweep {id} has {count} images: index {index} is not one of them"));
        return (state, null);
    }

    /// <summary>Runs a request, turning a cluster that does not answer into 503 and a run directory that cannot be read into 500, each with a message.</summary>
    static async Task<IResult> Answer(Func<Task<IResult>> request)
    {
        try { return await request(); }
        catch (Exception e) when (e is TimeoutException or Orleans.Runtime.OrleansException or Orleans.Runtime.SiloUnavailableException)
        {
            return Results.Json(new JsonObject { ["error"] = $"the cluster did not answer: {e.Message}" }, statusCode: 503);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Results.Json(new JsonObject { ["error"] = e.Message }, statusCode: 500);
        }
    }

    static IResult Page(IFileProvider files, string name)
    {
        var file = files.GetFileInfo(name);
        return file.Exists ? Results.File(file.CreateReadStream(), "text/html; charset=utf-8") : Results.NotFound();
    }

    static IResult Png(byte[] bytes) => Results.Bytes(bytes, "image/png");

    static IResult NotFound(string message) => Results.Json(new JsonObject { ["error"] = message }, statusCode: 404);

    static IResult BadRequest(string message) => Results.Json(new JsonObject { ["error"] = message }, statusCode: 400);
}
