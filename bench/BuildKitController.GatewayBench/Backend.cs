using System.Net;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Testing.StandInWorker;

namespace BuildKitController.GatewayBench;

/// <summary>
/// <c>backend IP:PORT cert key ca</c>: a stand-in worker in its own process (so its sockets do not count against the
/// client's file descriptor limit), serving until stdin closes.
/// </summary>
internal static class Backend
{
    public static async Task<int> RunAsync(string[] args)
    {
        var endPoint = IPEndPoint.Parse(args[0]);
        var certificate = await File.ReadAllTextAsync(args[1]);
        var key = await File.ReadAllTextAsync(args[2]);
        var ca = await File.ReadAllTextAsync(args[3]);
        await using var worker = StandInWorker.Start(new StandInWorkerOptions
        {
            Name = "backend",
            EndPoint = endPoint,
            ServerCertificate = X509Certificate2.CreateFromPem(certificate, key),
            TrustedClientAuthorities = [X509Certificate2.CreateFromPem(ca)],
        });
        Console.WriteLine($"READY {worker.EndPoint}");
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
