namespace BuildKitController.Testing.StandInWorker;

/// <summary>
/// The stand-in worker's line protocol (ASCII lines ending in <c>\n</c>), one command at a time per connection:
/// <list type="bullet">
/// <item><c>IDENTITY</c> → the worker's name;</item>
/// <item><c>ALPN</c> → the negotiated application protocol, or <c>-</c>;</item>
/// <item><c>ECHO &lt;text&gt;</c> → <c>&lt;text&gt;</c>;</item>
/// <item><c>STREAM &lt;bytes&gt;</c> → that many bytes (a repeating 0..250 pattern), then the worker half-closes
/// (close_notify and TCP FIN) and waits for the client to finish;</item>
/// <item><c>SINK</c> → the worker reads until the client half-closes, answers <c>RECEIVED &lt;bytes&gt;</c> and
/// closes;</item>
/// <item><c>HOLD</c> → <c>HOLDING</c> at once, then <c>RELEASED</c> when the test calls
/// <see cref="StandInWorker.ReleaseHeld"/>; the connection stays usable.</item>
/// </list>
/// </summary>
public static class StandInCommands
{
    public const string Identity = "IDENTITY";
    public const string Alpn = "ALPN";
    public const string Echo = "ECHO";
    public const string Stream = "STREAM";
    public const string Sink = "SINK";
    public const string Hold = "HOLD";
    public const string Holding = "HOLDING";
    public const string Released = "RELEASED";
    public const string Received = "RECEIVED";

    /// <summary>The byte at <paramref name="offset"/> of a <c>STREAM</c> answer.</summary>
    public static byte PatternAt(long offset) => (byte)(offset % 251);
}
