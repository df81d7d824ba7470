using BuildKitController.GatewayBench;

return args is ["backend", .. var rest]
    ? await Backend.RunAsync(rest)
    : await Scenario.RunAsync(BenchOptions.Parse(args), args);
