using System.Text;
using BuildKitController.Testing.FakeKubernetes.Operations;

namespace BuildKitController.Testing.FakeKubernetes.Selectors;

/// <summary>Recursive-descent parser for the label selector grammar of k8s.io/apimachinery/pkg/labels.</summary>
internal sealed class LabelSelectorParser(string text)
{
    private readonly List<string> _tokens = Tokenize(text);
    private int _position;

    public LabelSelectorQuery Parse()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            requirements.Add(ParseRequirement());
            var next = Next();
            if (next is null)
            {
                return new LabelSelectorQuery(requirements);
            }

            if (next != ",")
            {
                throw new FormatException($"found '{next}', expected: ',' or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var first = Next();
        if (first == "!")
        {
            var key = Next();
            RequireIdentifier(key, "identifier after '!'");
            return Build(key!, LabelOperator.DoesNotExist, []);
        }

        RequireIdentifier(first, "!, identifier");
        var op = Peek();
        if (op is null or ",")
        {
            return Build(first!, LabelOperator.Exists, []);
        }

        Next();
        switch (op)
        {
            case "=" or "==" or "!=" or ">" or "<":
                var value = Peek();
                if (value is null or ",")
                {
                    value = "";
                }
                else
                {
                    RequireIdentifier(value, "identifier");
                    Next();
                }

                var kind = op switch
                {
                    "!=" => LabelOperator.NotEquals,
                    ">" => LabelOperator.GreaterThan,
                    "<" => LabelOperator.LessThan,
                    _ => LabelOperator.Equals,
                };
                if (kind is LabelOperator.GreaterThan or LabelOperator.LessThan && !long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    throw new FormatException($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
                }

                return Build(first!, kind, [value]);
            case "in" or "notin":
                return Build(first!, op == "in" ? LabelOperator.In : LabelOperator.NotIn, ParseValues());
            default:
                throw new FormatException($"found '{op}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private List<string> ParseValues()
    {
        var open = Next();
        if (open != "(")
        {
            throw new FormatException($"found '{open ?? ""}', expected: '('");
        }

        var values = new List<string>();
        var expectValue = true;
        while (true)
        {
            var token = Next() ?? throw new FormatException("found '', expected: ',', ')' or identifier");
            if (token == ")")
            {
                if (expectValue && values.Count > 0)
                {
                    values.Add("");
                }

                if (values.Count == 0)
                {
                    values.Add("");
                }

                return values;
            }

            if (token == ",")
            {
                if (expectValue)
                {
                    values.Add("");
                }

                expectValue = true;
                continue;
            }

            RequireIdentifier(token, "',', ')' or identifier");
            if (!expectValue)
            {
                throw new FormatException($"found '{token}', expected: ',' or ')'");
            }

            values.Add(token);
            expectValue = false;
        }
    }

    private static LabelRequirement Build(string key, LabelOperator op, List<string> values)
    {
        if (NameValidation.QualifiedName(key) is { Count: > 0 } keyErrors)
        {
            throw new FormatException($"unable to parse requirement: key: Invalid value: \"{key}\": {string.Join("; ", keyErrors)}");
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (op is LabelOperator.GreaterThan or LabelOperator.LessThan)
            {
                continue;
            }

            if (NameValidation.LabelValue(values[i]) is { Count: > 0 } valueErrors)
            {
                throw new FormatException($"unable to parse requirement: values[{i}][{key}]: Invalid value: \"{values[i]}\": {string.Join("; ", valueErrors)}");
            }
        }

        return new LabelRequirement(key, op, values);
    }

    private static void RequireIdentifier(string? token, string expected)
    {
        if (token is null || IsSpecial(token))
        {
            throw new FormatException($"found '{token ?? ""}', expected: {expected}");
        }
    }

    private static bool IsSpecial(string token) => token is "," or "(" or ")" or "!" or "=" or "==" or "!=" or ">" or "<" or "in" or "notin";

    private string? Peek() => _position < _tokens.Count ? _tokens[_position] : null;

    private string? Next() => _position < _tokens.Count ? _tokens[_position++] : null;

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                Flush();
            }
            else if (c is ',' or '(' or ')')
            {
                Flush();
                tokens.Add(c.ToString());
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                Flush();
                if (i + 1 < text.Length && text[i + 1] == '=' && c is '=' or '!')
                {
                    tokens.Add($"{c}=");
                    i++;
                }
                else
                {
                    tokens.Add(c.ToString());
                }
            }
            else
            {
                current.Append(c);
            }
        }

        Flush();
        return tokens;
    }
}
