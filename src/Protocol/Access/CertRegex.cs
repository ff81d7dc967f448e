using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Protocol.Access;

/// <summary>
/// SPEC R61: sendmail's <c>_CERT_REGEX_ISSUER_</c> / <c>_CERT_REGEX_SUBJECT_</c>, a regex map applied to the
/// encoded DN before the CertIssuer/CertSubject lookup. Written as sendmail writes the map definition: flags,
/// then the extended regex, e.g. <c>-s1 /CN=([^/]*)</c>. Flags: <c>-sN[,N...]</c> returns those capture groups
/// (joined by the delimiter) instead of the whole DN; <c>-dX</c> sets the delimiter (default a space);
/// <c>-f</c> makes matching case-sensitive (the default ignores case). No match leaves the DN unchanged.
/// </summary>
public sealed class CertRegex
{
    /// <summary>A DN is at most a few kilobytes; a pathological pattern must not stall a session.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex _regex;
    private readonly int[] _groups;
    private readonly string _delimiter;

    private CertRegex(Regex regex, int[] groups, string delimiter, string spec)
    {
        _regex = regex;
        _groups = groups;
        _delimiter = delimiter;
        Spec = spec;
    }

    public string Spec { get; }

    /// <summary>The definition read, or null with <paramref name="error"/> naming what is wrong.</summary>
    public static CertRegex? Parse(string spec, out string? error)
    {
        error = null;
        var rest = spec.Trim();
        int[] groups = [];
        var delimiter = " ";
        var options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        while (rest.StartsWith('-'))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            var flag = end < 0 ? rest : rest[..end];
            rest = end < 0 ? "" : rest[end..].TrimStart();
            switch (flag.Length > 1 ? flag[1] : ' ')
            {
                case 's':
                    var numbers = flag[2..].Split(',');
                    if (!numbers.All(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g >= 0))
                    {
                        error = $"'{flag}': -s takes capture group numbers, e.g. -s1 or -s1,2";
                        return null;
                    }

                    groups = [.. numbers.Select(n => int.Parse(n, CultureInfo.InvariantCulture))];
                    break;
                case 'd':
                    delimiter = flag.Length > 2 ? flag[2..] : " ";
                    break;
                case 'f':
                    options &= ~RegexOptions.IgnoreCase;
                    break;
                default:
                    error = $"'{flag}' is not a supported regex map flag (-s, -d, -f)";
                    return null;
            }
        }

        if (rest.Length == 0)
        {
            error = $"'{spec}' has no regular expression";
            return null;
        }

        try
        {
            var regex = new Regex(rest, options, MatchTimeout);
            if (groups.FirstOrDefault(g => g > regex.GetGroupNumbers().Max()) is var missing and > 0)
            {
                error = $"'{spec}': the expression has no capture group {missing}";
                return null;
            }

            return new CertRegex(regex, groups, delimiter, spec);
        }
        catch (ArgumentException e)
        {
            error = $"'{spec}': {e.Message}";
            return null;
        }
    }

    /// <summary>The selected part of <paramref name="dn"/>, or <paramref name="dn"/> itself when the expression does not match.</summary>
    public string Transform(string dn)
    {
        try
        {
            var match = _regex.Match(dn);
            if (!match.Success)
            {
                return dn;
            }

            return _groups.Length == 0 ? dn : string.Join(_delimiter, _groups.Select(g => match.Groups[g].Value));
        }
        catch (RegexMatchTimeoutException)
        {
            return dn;
        }
    }
}
