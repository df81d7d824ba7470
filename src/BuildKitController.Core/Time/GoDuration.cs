using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace BuildKitController.Core.Time;

/// <summary>
/// Go duration strings, as <c>time.ParseDuration</c> reads them and <c>time.Duration.String</c> writes them:
/// a sign, then one or more decimal numbers each with a unit (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>,
/// <c>m</c>, <c>h</c>), e.g. <c>1h30m</c>, <c>1.5h</c>, <c>300ms</c>; <c>0</c> alone is zero. The range is that of
/// Go (±2^63−1 ns); <see cref="TimeSpan"/> results are truncated to 100 ns ticks.
/// </summary>
public static class GoDuration
{
    private const long Nanosecond = 1;
    private const long Microsecond = 1000 * Nanosecond;
    private const long Millisecond = 1000 * Microsecond;
    private const long Second = 1000 * Millisecond;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    /// <summary>Parses a Go duration into nanoseconds.</summary>
    public static bool TryParseNanoseconds([NotNullWhen(true)] string? text, out long nanoseconds) =>
        TryParseCore(text, out nanoseconds, out _);

    /// <summary>Parses a Go duration.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value)
    {
        if (TryParseCore(text, out var nanoseconds, out _))
        {
            value = TimeSpan.FromTicks(nanoseconds / 100);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Parses a Go duration; throws <see cref="FormatException"/> with Go's reason when it is invalid.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var nanoseconds, out var error)
            ? TimeSpan.FromTicks(nanoseconds / 100)
            : throw new FormatException(error);
    }

    /// <summary>Why <paramref name="text"/> is not a Go duration, or null when it is one.</summary>
    public static string? Explain(string? text) => TryParseCore(text, out _, out var error) ? null : error;

    /// <summary>Formats like Go's <c>Duration.String</c>: <c>1h30m0s</c>, <c>1.5s</c>, <c>300ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value) => FormatNanoseconds(checked(value.Ticks * 100));

    /// <summary>Formats a nanosecond count like Go's <c>Duration.String</c>.</summary>
    public static string FormatNanoseconds(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var negative = nanoseconds < 0;
        var u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        var builder = new StringBuilder();
        if (u < Second)
        {
            if (u < Microsecond)
            {
                builder.Append(u.ToString(CultureInfo.InvariantCulture)).Append("ns");
            }
            else if (u < Millisecond)
            {
                builder.Append(FormatFraction(u, 3)).Append("µs");
            }
            else
            {
                builder.Append(FormatFraction(u, 6)).Append("ms");
            }
        }
        else
        {
            var seconds = FormatFraction(u, 9);
            var whole = u / Second;
            var text = new StringBuilder();
            var s = whole % 60;
            whole /= 60;
            var fraction = seconds.Contains('.', StringComparison.Ordinal) ? seconds[seconds.IndexOf('.', StringComparison.Ordinal)..] : "";
            text.Append(s.ToString(CultureInfo.InvariantCulture)).Append(fraction).Append('s');
            if (whole > 0)
            {
                var m = whole % 60;
                whole /= 60;
                text.Insert(0, m.ToString(CultureInfo.InvariantCulture) + "m");
                if (whole > 0)
                {
                    text.Insert(0, whole.ToString(CultureInfo.InvariantCulture) + "h");
                }
            }

            builder.Append(text);
        }

        return negative ? "-" + builder : builder.ToString();
    }

    // v / 10^precision with trailing zeros (and a bare dot) removed.
    private static string FormatFraction(ulong value, int precision)
    {
        ulong scale = 1;
        for (var i = 0; i < precision; i++)
        {
            scale *= 10;
        }

        var whole = value / scale;
        var fraction = (value % scale).ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
        return fraction.Length == 0
            ? whole.ToString(CultureInfo.InvariantCulture)
            : whole.ToString(CultureInfo.InvariantCulture) + "." + fraction;
    }

    private static bool TryParseCore(string? text, out long nanoseconds, out string? error)
    {
        nanoseconds = 0;
        if (text is null)
        {
            error = "duration is missing";
            return false;
        }

        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            error = null;
            return true;
        }

        if (s.IsEmpty)
        {
            error = $"invalid duration \"{text}\"";
            return false;
        }

        ulong total = 0;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                error = $"invalid duration \"{text}\"";
                return false;
            }

            // Integer part.
            ulong whole = 0;
            var digits = 0;
            while (digits < s.Length && char.IsAsciiDigit(s[digits]))
            {
                if (whole > (ulong.MaxValue - 9) / 10 || whole * 10 + (ulong)(s[digits] - '0') > 1UL << 63)
                {
                    error = $"invalid duration \"{text}\"";
                    return false;
                }

                whole = whole * 10 + (ulong)(s[digits] - '0');
                digits++;
            }

            var hasWhole = digits > 0;
            s = s[digits..];

            // Fraction part: digits beyond what fits are ignored, as Go does.
            ulong fraction = 0;
            var scale = 1.0;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var index = 0;
                var overflow = false;
                while (index < s.Length && char.IsAsciiDigit(s[index]))
                {
                    if (!overflow)
                    {
                        if (fraction > ((1UL << 63) - 1) / 10)
                        {
                            overflow = true;
                        }
                        else
                        {
                            var next = fraction * 10 + (ulong)(s[index] - '0');
                            if (next > 1UL << 63)
                            {
                                overflow = true;
                            }
                            else
                            {
                                fraction = next;
                                scale *= 10;
                            }
                        }
                    }

                    index++;
                }

                hasFraction = index > 0;
                s = s[index..];
            }

            if (!hasWhole && !hasFraction)
            {
                error = $"invalid duration \"{text}\"";
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"missing unit in duration \"{text}\"";
                return false;
            }

            var unitText = s[..unitLength];
            s = s[unitLength..];
            ulong unit = unitText switch
            {
                "ns" => Nanosecond,
                "us" or "µs" or "μs" => Microsecond,
                "ms" => Millisecond,
                "s" => Second,
                "m" => Minute,
                "h" => Hour,
                _ => 0,
            };
            if (unit == 0)
            {
                error = $"unknown unit \"{unitText}\" in duration \"{text}\"";
                return false;
            }

            if (whole > (1UL << 63) / unit)
            {
                error = $"invalid duration \"{text}\"";
                return false;
            }

            var value = whole * unit;
            if (fraction > 0)
            {
                value += (ulong)(fraction * (unit / scale));
                if (value > 1UL << 63)
                {
                    error = $"invalid duration \"{text}\"";
                    return false;
                }
            }

            total += value;
            if (total > 1UL << 63)
            {
                error = $"invalid duration \"{text}\"";
                return false;
            }
        }

        if (negative)
        {
            nanoseconds = total == 1UL << 63 ? long.MinValue : -(long)total;
        }
        else if (total > long.MaxValue)
        {
            error = $"invalid duration \"{text}\"";
            return false;
        }
        else
        {
            nanoseconds = (long)total;
        }

        error = null;
        return true;
    }
}
