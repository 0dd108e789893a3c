return Saliency.Cli.SaliencyApp.Run(args);
