using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using BuildKitController.Gateway.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Gateway.Tls;

/// <summary>
/// Turns on OpenSSL's <c>SSL_MODE_RELEASE_BUFFERS</c> for an authenticated <see cref="SslStream"/>, so that the
/// SSL object frees its record read and write buffers (about 17 KiB each) whenever they are empty instead of
/// keeping them for the connection's lifetime. .NET's OpenSSL shim never sets this mode (nginx sets it on every
/// context); with two SSL objects per proxied connection it is most of the memory an idle connection holds.
/// <para>
/// <b>This reaches into <see cref="SslStream"/>'s internals</b>: the private field <c>_securityContext</c>, whose
/// handle on Linux is the <c>SSL*</c> (type <c>SafeSslHandle</c>), read through a trim-analyzable
/// <see cref="FieldInfo"/> (AOT-safe), and <c>SSL_ctrl</c> of the libssl the runtime itself loaded (found in
/// <c>/proc/self/maps</c>, never loaded by name). Everything is checked before it is trusted: the field and its
/// type, the library's version (1.1.1 or 3.x, whose <c>SSL_ctrl</c> mode commands are stable), and for each stream
/// that the handle answers <c>SSL_is_server</c> and <c>SSL_version</c> as the stream says it should. On any mismatch
/// the feature switches itself off for the process with one warning (event 3040) and connections work as before.
/// The mode is set once, right after the handshake and before the copy loops start, when nothing else uses the
/// SSL object; OpenSSL then releases the buffers inside the <c>SSL_read</c>/<c>SSL_write</c> calls that
/// <see cref="SslStream"/> makes anyway, so nothing new runs concurrently. <c>--openssl-release-buffers=false</c>
/// turns it off.
/// </para>
/// </summary>
internal static unsafe class OpenSslBuffers
{
    /// <summary><c>SSL_CTRL_MODE</c>: <c>SSL_set_mode</c> (ORs the bits in) and <c>SSL_get_mode</c> (larg 0).</summary>
    private const int SslCtrlMode = 33;

    /// <summary><c>SSL_MODE_RELEASE_BUFFERS</c>.</summary>
    internal const long ReleaseBuffersMode = 0x10;

    private const string SslHandleTypeName = "Microsoft.Win32.SafeHandles.SafeSslHandle";

    private static readonly Lock Gate = new();

    // Trim- and AOT-analyzable (a known type and a constant name). [UnsafeAccessor] cannot be used: the field's type
    // is internal, and .NET 10 rejects [UnsafeAccessorType] on a field accessor's ref return ("Invalid usage").
    private static readonly FieldInfo? SecurityContextField = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic);

    private static volatile State _state;
    private static volatile Api? _api;
    private static volatile string? _unavailableReason;

    private enum State
    {
        Unknown,
        Available,
        Unavailable,
    }

    /// <summary>Why the feature is off for this process (null while it works or was not tried yet).</summary>
    public static string? UnavailableReason => _unavailableReason;

    /// <summary>
    /// Sets <c>SSL_MODE_RELEASE_BUFFERS</c> on <paramref name="stream"/>'s SSL object. Call only after the handshake
    /// and before any concurrent use. Returns false (having logged once per process) when it cannot be done safely.
    /// </summary>
    public static bool TryEnable(SslStream stream, bool isServer, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var api = Resolve(logger);
        if (api is null)
        {
            return false;
        }

        if (Check(stream, isServer, api, out var handle) is { } problem)
        {
            Disable(problem, logger);
            return false;
        }

        var added = false;
        try
        {
            handle!.DangerousAddRef(ref added);
            var ssl = handle.DangerousGetHandle();
            api.Ctrl(ssl, SslCtrlMode, new CLong((nint)ReleaseBuffersMode), 0);
            return (api.Ctrl(ssl, SslCtrlMode, new CLong(0), 0).Value & ReleaseBuffersMode) != 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle!.DangerousRelease();
            }
        }
    }

    /// <summary>The SSL object's current mode bits, or null when they cannot be read (tests and diagnostics).</summary>
    public static long? ModeOf(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (Resolve(NullLogger.Instance) is not { } api || Handle(stream) is not { } handle)
        {
            return null;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return api.Ctrl(handle.DangerousGetHandle(), SslCtrlMode, new CLong(0), 0).Value;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Whether <paramref name="stream"/>'s handle passes the checks made before each use (tests).</summary>
    internal static bool CheckOnly(SslStream stream, bool isServer) =>
        Resolve(NullLogger.Instance) is { } api && Check(stream, isServer, api, out _) is null;

    private static string? Check(SslStream stream, bool isServer, Api api, out SafeHandle? handle)
    {
        handle = Handle(stream);
        if (handle is null || handle.IsInvalid || handle.IsClosed)
        {
            return "SslStream has no security context after the handshake";
        }

        if (handle.GetType().FullName != SslHandleTypeName)
        {
            return $"SslStream's security context is a {handle.GetType().FullName}, not {SslHandleTypeName}";
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var ssl = handle.DangerousGetHandle();
            if (api.IsServer(ssl) != (isServer ? 1 : 0))
            {
                return "SSL_is_server does not match the stream's role";
            }

            var expected = stream.SslProtocol switch
            {
                SslProtocols.Tls13 => 0x0304,
                SslProtocols.Tls12 => 0x0303,
                _ => -1,
            };
            var version = api.Version(ssl);
            return expected < 0 || version == expected
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"SSL_version is 0x{version:x4}, the stream negotiated {stream.SslProtocol}");
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static SafeHandle? Handle(SslStream stream)
    {
        return SecurityContext(stream) as SafeHandle;
    }

    private static object? SecurityContext(SslStream stream) => SecurityContextField?.GetValue(stream);

    private static Api? Resolve(ILogger logger)
    {
        switch (_state)
        {
            case State.Available:
                return _api;
            case State.Unavailable:
                return null;
        }

        lock (Gate)
        {
            if (_state != State.Unknown)
            {
                return _api;
            }

            if (!OperatingSystem.IsLinux())
            {
                _state = State.Unavailable;
                _unavailableReason = "not Linux";
                return null;
            }

            // The field must exist with a SafeHandle type before anything native is touched.
            if (SecurityContextField is not { } field || !typeof(SafeHandle).IsAssignableFrom(field.FieldType))
            {
                Disable("SslStream has no field _securityContext holding a SafeHandle", logger);
                return null;
            }

            if (LoadedLibrary() is not { } path)
            {
                Disable("the runtime has not loaded a libssl (no libssl.so in /proc/self/maps)", logger);
                return null;
            }

            if (!NativeLibrary.TryLoad(path, out var library))
            {
                Disable($"cannot open {path}", logger);
                return null;
            }

            if (!NativeLibrary.TryGetExport(library, "SSL_ctrl", out var ctrl)
                || !NativeLibrary.TryGetExport(library, "SSL_is_server", out var isServer)
                || !NativeLibrary.TryGetExport(library, "SSL_version", out var version)
                || !NativeLibrary.TryGetExport(library, "OpenSSL_version_num", out var versionNumber))
            {
                Disable($"{path} lacks SSL_ctrl, SSL_is_server, SSL_version or OpenSSL_version_num", logger);
                return null;
            }

            var number = ((delegate* unmanaged<CULong>)versionNumber)().Value;
            var major = number >> 28;
            if (major != 3 && (number & 0xFFFFF000) != 0x10101000)
            {
                Disable(string.Create(CultureInfo.InvariantCulture, $"{path} is OpenSSL 0x{number:x}, not 1.1.1 or 3.x"), logger);
                return null;
            }

            _api = new Api(
                (delegate* unmanaged<nint, int, CLong, nint, CLong>)ctrl,
                (delegate* unmanaged<nint, int>)isServer,
                (delegate* unmanaged<nint, int>)version);
            _state = State.Available;
            return _api;
        }
    }

    /// <summary>The path of the libssl mapped into this process (the one the runtime's shim loaded).</summary>
    [SuppressMessage("Design", "CA1031", Justification = "Any failure to read the maps only means the feature stays off.")]
    internal static string? LoadedLibrary()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0)
                {
                    continue;
                }

                var path = line[slash..];
                var name = Path.GetFileName(path);
                if (name.StartsWith("libssl.so", StringComparison.Ordinal))
                {
                    return path;
                }
            }
        }
        catch (Exception)
        {
            return null;
        }

        return null;
    }

    private static void Disable(string reason, ILogger logger)
    {
        lock (Gate)
        {
            if (_state == State.Unavailable && _unavailableReason is not null)
            {
                return;
            }

            _state = State.Unavailable;
            _api = null;
            _unavailableReason = reason;
        }

        GatewayLog.ReleaseBuffersUnavailable(logger, reason);
    }

    private sealed class Api(delegate* unmanaged<nint, int, CLong, nint, CLong> ctrl, delegate* unmanaged<nint, int> isServer, delegate* unmanaged<nint, int> version)
    {
        public CLong Ctrl(nint ssl, int command, CLong larg, nint parg) => ctrl(ssl, command, larg, parg);

        public int IsServer(nint ssl) => isServer(ssl);

        public int Version(nint ssl) => version(ssl);
    }
}
