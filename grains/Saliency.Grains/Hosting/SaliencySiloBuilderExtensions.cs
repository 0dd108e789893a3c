using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Saliency.Grains.Placement;
using Saliency.Grains.Storage;
using Saliency.Grains.Sweeps;
using Saliency.Grains.Workers;
using StackExchange.Redis;

namespace Saliency.Grains.Hosting;

public static class SaliencySiloBuilderExtensions
{
    /// <summary>Name of the grain storage that holds sweeps and the sweep directory.</summary>
    public const string SweepStorage = "sweeps";

    /// <summary>
    /// Adds Saliency's grains to a silo. Roles are kept apart by the grain classes a silo offers:
    /// a coordinator-only silo does not offer the worker grain and a worker-only silo offers only
    /// it, so Orleans can place each grain only where its role is. Options come from the
    /// <c>Saliency</c> configuration section, then <paramref name="configure"/>. The device is resolved here, so
    /// options show the device in use (<c>auto</c> becomes <c>cpu</c> or <c>cuda:0</c>) and a missing one fails the build of the silo.
    /// </summary>
    public static ISiloBuilder AddSaliency(this ISiloBuilder silo, Action<SaliencySiloOptions>? configure = null) => silo.AddSaliency(configure, out _);

    /// <param name="chosen">The options as bound and configured, with the device resolved: what the silo will run with.</param>
    public static ISiloBuilder AddSaliency(this ISiloBuilder silo, Action<SaliencySiloOptions>? configure, out SaliencySiloOptions chosen)
    {
        var services = silo.Services;
        var saliencyOptions = services.AddOptions<SaliencySiloOptions>().BindConfiguration(SaliencySiloOptions.Section);
        if (configure is not null) saliencyOptions.Configure(configure);
        saliencyOptions.ValidateOnStart();
        services.AddSingleton<IValidateOptions<SaliencySiloOptions>, SaliencySiloOptionsValidation>();

        services.AddOptions<GrainTypeOptions>().Configure<IOptions<SaliencySiloOptions>>((grainTypes, saliency) =>
        {
            var role = saliency.Value.Role;
            if (!role.HostsWorkers()) grainTypes.Classes.Remove(typeof(ShardWorkerGrain));
            if (!role.HostsCoordinators())
            {
                grainTypes.Classes.Remove(typeof(SweepCoordinatorGrain));
                grainTypes.Classes.Remove(typeof(SweepDirectoryGrain));
                grainTypes.Classes.Remove(typeof(WorkerRegistryGrain));
            }
        });

        silo.AddIncomingGrainCallFilter<SiloOnlyCallFilter>();
        silo.AddIncomingGrainCallFilter<SweepErrorFilter>();
        silo.AddPlacementDirector<WorkerSiloPlacement, WorkerSiloPlacementDirector>();
        silo.AddPlacementDirector<CoordinatorSiloPlacement, CoordinatorSiloPlacementDirector>();
        chosen = silo.Configuration.GetSection(SaliencySiloOptions.Section).Get<SaliencySiloOptions>() ?? new SaliencySiloOptions();
        configure?.Invoke(chosen);
        // The one place the device is resolved.
        var device = chosen.Device = chosen.ResolveDevice();
        saliencyOptions.PostConfigure(options => options.Device = device);
        var redis = chosen.Redis;
        switch (chosen.GrainStorage)
        {
            case "file":
                services.AddGrainStorage(SweepStorage, (provider, _) => (IGrainStorage)new FileGrainStorage(
                    provider.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.StateDirectory, provider.GetRequiredService<Serializer>()));
                break;
            case "redis":
                silo.AddRedisGrainStorage(SweepStorage, options => options.ConfigurationOptions = ConfigurationOptions.Parse(redis));
                break;
            default:
                // Refused, with every other broken rule, by SaliencySiloOptions.Problems.
                break;
        }

        services.AddSingleton<ComputeQueue>();
        services.AddSingleton<WorkerSweepCache>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider =>
            provider.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.Role.HostsWorkers()
                ? ActivatorUtilities.CreateInstance<WorkerAnnouncer>(provider) : new NoParticipation());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider =>
            provider.GetRequiredService<IOptions<SaliencySiloOptions>>().Value.Role.HostsCoordinators()
                ? ActivatorUtilities.CreateInstance<SweepResumer>(provider) : new NoParticipation());
        return silo;
    }

    sealed class NoParticipation : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) { }
    }
}

/// <summary>Fails the start of a silo whose options break a rule of <see cref="SaliencySiloOptions.Problems"/>, naming each.</summary>
sealed class SaliencySiloOptionsValidation : IValidateOptions<SaliencySiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SaliencySiloOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
