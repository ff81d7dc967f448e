namespace Gateway.Protocol.Access;

/// <summary>
/// The keys sendmail tries, in order, for each kind of lookup (SPEC R55, and the classic access_db lookups
/// of Connect:, From: and To:). Pure: the keys are built here and tried against a map elsewhere, so
/// <c>gateway map test</c> can show every key tried.
/// </summary>
public static class LookupOrder
{
    /// <summary>
    /// R55 host lookup for <paramref name="tag"/> (<c>TLS_Clt</c>, <c>Srv_Features</c>, ...): the name and its
    /// parent domains (a bracketed IPv4 name shortened octet by octet), then the address and its prefixes, then
    /// the bare tag. <paramref name="name"/> is <c>{client_name}</c> (a host name or <c>[192.0.2.7]</c>);
    /// <paramref name="address"/> is <c>{client_addr}</c> (<c>192.0.2.7</c> or <c>IPv6:2001:db8::7</c>).
    /// </summary>
    public static IReadOnlyList<string> Host(string tag, string? name, string? address, HostSteps steps = HostSteps.All)
    {
        var keys = new List<string>();
        if (steps.HasFlag(HostSteps.Name) && !string.IsNullOrEmpty(name))
        {
            keys.AddRange(NameForms(name).Select(n => $"{tag}:{n}"));
        }

        if (steps.HasFlag(HostSteps.Address) && !string.IsNullOrEmpty(address))
        {
            keys.AddRange(AddressForms(address).Select(a => $"{tag}:{a}"));
        }

        if (steps.HasFlag(HostSteps.Default))
        {
            keys.Add(tag + ":");
        }

        return Distinct(keys);
    }

    /// <summary>
    /// R55 recipient lookup (TLS_Rcpt) for <c>local+detail@sub.example.org</c>: the address with and without the
    /// detail, the same without the domain, the domain and its parents, then the bare tag. A recipient without a
    /// domain uses only the forms without one and the bare tag.
    /// </summary>
    public static IReadOnlyList<string> Recipient(string tag, string address)
    {
        var (local, domain) = Split(address);
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        string[] locals = plus < 0 ? [local] : [local, local[..(plus + 1)] + "*", local[..plus]];
        var keys = new List<string>();
        if (domain is not null)
        {
            keys.AddRange(locals.Select(l => $"{tag}:{l}@{domain}"));
        }

        keys.AddRange(locals.Select(l => $"{tag}:{l}@"));
        if (domain is not null)
        {
            keys.AddRange(Parents(domain).Select(d => $"{tag}:{d}"));
        }

        keys.Add(tag + ":");
        return Distinct(keys);
    }

    /// <summary>
    /// sendmail's access_db lookup for a connecting client (<c>Connect:</c>): the host name and its parent domains,
    /// then the address and its prefixes, each tried with the tag and then untagged, as sendmail does. No default.
    /// </summary>
    public static IReadOnlyList<string> Connect(string? name, string? address)
    {
        var keys = new List<string>();
        if (!string.IsNullOrEmpty(name))
        {
            keys.AddRange(NameForms(name).SelectMany(n => new[] { "Connect:" + n, n }));
        }

        if (!string.IsNullOrEmpty(address))
        {
            keys.AddRange(AddressForms(address).SelectMany(a => new[] { "Connect:" + a, a }));
        }

        return Distinct(keys);
    }

    /// <summary>
    /// sendmail's access_db lookup for an envelope address (<paramref name="tag"/> <c>From</c> or <c>To</c>): the
    /// whole address, then its domain and parent domains, then <c>local@</c>; each with the tag and then untagged.
    /// The null sender is looked up as <c>From:&lt;&gt;</c>.
    /// </summary>
    public static IReadOnlyList<string> Envelope(string tag, string address)
    {
        if (address.Length == 0)
        {
            return [$"{tag}:<>", "<>"];
        }

        var (local, domain) = Split(address);
        var forms = new List<string>();
        if (domain is not null)
        {
            forms.Add($"{local}@{domain}");
            forms.AddRange(Parents(domain));
        }

        forms.Add(local + "@");
        return Distinct(forms.SelectMany(f => new[] { $"{tag}:{f}", f }).ToList());
    }

    /// <summary>A host name and its parents; a bracketed IPv4 literal octet by octet; other literals as they are.</summary>
    private static IEnumerable<string> NameForms(string name)
    {
        name = name.TrimEnd('.');
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            var inner = name[1..^1];
            if (inner.Contains(':', StringComparison.Ordinal))
            {
                yield return name;
                yield break;
            }

            foreach (var prefix in Prefixes(inner.Split('.'), '.'))
            {
                yield return $"[{prefix}]";
            }

            yield break;
        }

        foreach (var parent in Parents(name))
        {
            yield return parent;
        }
    }

    /// <summary>
    /// <c>10.1.4.5</c>, <c>10.1.4</c>, <c>10.1</c>, <c>10</c>; IPv6 one group at a time from the right:
    /// <c>IPv6:2001:db8:1::7</c>, <c>IPv6:2001:db8:1</c>, <c>IPv6:2001:db8</c>, <c>IPv6:2001</c> (a shortened form ending
    /// in the empty group of <c>::</c>, or made of it alone, is skipped: it names nothing more than the next one does;
    /// the whole address is always tried first, even <c>IPv6:2001:db8::</c>).
    /// </summary>
    private static IEnumerable<string> AddressForms(string address)
    {
        if (address.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            return Prefixes(address[5..].Split(':'), ':')
                .Where((p, i) => i == 0 || (p.Length > 0 && !p.EndsWith(':')))
                .Select(p => "IPv6:" + p);
        }

        return Prefixes(address.Split('.'), '.');
    }

    /// <summary>All of the parts, then all but the last, down to the first alone.</summary>
    private static IEnumerable<string> Prefixes(string[] parts, char separator)
    {
        for (var n = parts.Length; n >= 1; n--)
        {
            yield return string.Join(separator, parts.Take(n));
        }
    }

    /// <summary><c>a.b.example.com</c>, <c>b.example.com</c>, <c>example.com</c>, <c>com</c>.</summary>
    private static IEnumerable<string> Parents(string domain)
    {
        domain = domain.TrimEnd('.');
        while (domain.Length > 0)
        {
            yield return domain;
            var dot = domain.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                yield break;
            }

            domain = domain[(dot + 1)..];
        }
    }

    /// <summary>Local part and domain (at the last @, trailing dot removed); no domain when there is no @.</summary>
    private static (string Local, string? Domain) Split(string address)
    {
        address = address.Trim().TrimStart('<').TrimEnd('>');
        var at = address.LastIndexOf('@');
        return at < 0 ? (address, null) : (address[..at], address[(at + 1)..].TrimEnd('.'));
    }

    private static List<string> Distinct(List<string> keys) =>
        [.. keys.Distinct(StringComparer.OrdinalIgnoreCase)];
}
