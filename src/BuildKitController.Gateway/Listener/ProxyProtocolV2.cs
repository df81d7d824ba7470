using System.Buffers.Binary;
using System.Net;

namespace BuildKitController.Gateway.Listener;

/// <summary>
/// Reads a PROXY protocol version 2 header (the binary form load balancers such as AWS NLB and HAProxy send) and
/// returns the original client address: <c>PROXY</c> over TCP/IPv4 or TCP/IPv6 gives the source address,
/// <c>LOCAL</c> (health checks of the balancer itself) and other families give none. TLVs are skipped. Anything
/// else is a <see cref="InvalidDataException"/>.
/// </summary>
internal static class ProxyProtocolV2
{
    private const int MaxPayload = 2048;
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static async Task<IPEndPoint?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[16];
        await stream.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        if (!header.AsSpan(0, 12).SequenceEqual(Signature))
        {
            throw new InvalidDataException("no PROXY protocol v2 signature");
        }

        var versionCommand = header[12];
        if (versionCommand >> 4 != 2)
        {
            throw new InvalidDataException("unsupported PROXY protocol version");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(14));
        if (length > MaxPayload)
        {
            throw new InvalidDataException("PROXY protocol header too long");
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        return Parse(versionCommand & 0x0F, header[13], payload);
    }

    internal static IPEndPoint? Parse(int command, byte family, ReadOnlySpan<byte> payload)
    {
        switch (command)
        {
            case 0:
                return null; // LOCAL
            case 1:
                break;
            default:
                throw new InvalidDataException("unknown PROXY protocol command");
        }

        return family switch
        {
            0x11 when payload.Length >= 12 => new IPEndPoint(new IPAddress(payload[..4]), BinaryPrimitives.ReadUInt16BigEndian(payload[8..])),
            0x21 when payload.Length >= 36 => new IPEndPoint(new IPAddress(payload[..16]), BinaryPrimitives.ReadUInt16BigEndian(payload[32..])),
            0x11 or 0x21 => throw new InvalidDataException("PROXY protocol address block too short"),
            _ => null, // UNSPEC, UDP, unix: no usable client address
        };
    }
}
