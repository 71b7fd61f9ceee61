using System.Text;
using System.Text.RegularExpressions;

namespace CostNotifier.InfrastructureTests.Hcl;

/// <summary>
/// Terraform's <c>regex</c> function on .NET's engine. Terraform uses RE2, which differs from .NET in the places
/// a validation leans on: <c>$</c> is the end of the text (.NET also matches before a final line feed), and
/// <c>\s</c>, <c>\d</c>, <c>\w</c> are ASCII classes (.NET's are Unicode). Patterns are translated for those;
/// anything else is passed through, which is exact for the patterns terraform/ uses. A repeat count above 1000,
/// which .NET takes and RE2 refuses (so Terraform's <c>can(regex(...))</c> is always false), is an error here too.
/// </summary>
public static partial class Re2
{
    /// <summary>
    /// The match as <c>regex(pattern, text)</c> returns it: the matched text when the pattern has no groups, a list
    /// of the groups, or an object of named groups; no match is an error (which <c>can</c> turns into false).
    /// </summary>
    public static HclValue Match(string pattern, string text)
    {
        var regex = new Regex(Translate(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        var match = regex.Match(text);
        if (!match.Success)
        {
            throw new InvalidOperationException($"regex \"{pattern}\" does not match \"{text}\".");
        }

        var groups = regex.GetGroupNumbers().Where(n => n > 0).ToList();
        if (groups.Count == 0)
        {
            return new HclString(match.Value);
        }

        var names = regex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
        return names.Count > 0
            ? new HclObject(names.ToDictionary(n => n, n => Group(match.Groups[n]), StringComparer.Ordinal))
            : new HclList([.. groups.Select(n => Group(match.Groups[n]))]);
    }

    /// <summary>The largest count RE2 takes in <c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c>.</summary>
    public const int MaxRepeatCount = 1000;

    /// <summary>Rewrites the RE2 constructs whose .NET meaning differs.</summary>
    public static string Translate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        foreach (Match repeat in RepeatCount().Matches(pattern))
        {
            if (repeat.Groups.Cast<Group>().Skip(1).Any(g => g.Success && g.Length > 0 && int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture) > MaxRepeatCount))
            {
                throw new ArgumentException($"RE2 refuses the repeat count {repeat.Value} (at most {MaxRepeatCount}): {pattern}", nameof(pattern));
            }
        }

        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                result.Append((next, inClass) switch
                {
                    ('s', false) => @"[\t\n\f\r ]",
                    ('S', false) => @"[^\t\n\f\r ]",
                    ('d', false) => "[0-9]",
                    ('D', false) => "[^0-9]",
                    ('w', false) => "[0-9A-Za-z_]",
                    ('W', false) => "[^0-9A-Za-z_]",
                    ('s', true) => @"\t\n\f\r ",
                    ('d', true) => "0-9",
                    ('w', true) => "0-9A-Za-z_",
                    ('S' or 'D' or 'W', true) => throw new NotSupportedException($"A negated class escape inside [...] is not translated: {pattern}"),
                    _ => $"\\{next}",
                });
                continue;
            }

            if (inClass)
            {
                inClass = c != ']' || result[^1] == '[' || (result.Length >= 2 && result[^1] == '^' && result[^2] == '[');
                result.Append(c);
            }
            else if (c == '[')
            {
                inClass = true;
                result.Append(c);
            }
            else
            {
                result.Append(c == '$' ? @"\z" : c.ToString());
            }
        }

        return result.ToString();
    }

    private static HclValue Group(Group group) => group.Success ? new HclString(group.Value) : HclValue.Null;

    [GeneratedRegex(@"(?<!\\)\{([0-9]+)(?:,([0-9]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex RepeatCount();
}
