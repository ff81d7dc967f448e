using System.CommandLine;
using System.CommandLine.Parsing;

namespace Gateway.Cli;

/// <summary>
/// How every subcommand declares its switches and reads a command line. An option carries its description and
/// value placeholder for the generated help, and its value goes through a parser that refuses a bad one with a
/// message naming the switch as it was typed (<c>-n</c> or <c>--messages</c>). Parse errors are worded for an
/// administrator, and response files are off, so a value such as <c>@example</c> stays literal.
/// </summary>
internal static class Switches
{
    /// <summary>A fresh configuration each time: the parser's is mutable.</summary>
    public static ParserConfiguration Parsing => new() { ResponseFileTokenReplacer = null };

    /// <summary>A switch with one value, given at most once; <paramref name="parse"/> gets the text and the switch as typed, and throws <see cref="UsageError"/>.</summary>
    public static Option<T> Value<T>(string name, string helpName, string description, Func<string, string, T> parse, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => result.Tokens is [var token] ? Convert(result, token.Value, parse) : default,
        };

    /// <summary>A switch with one non-empty text value.</summary>
    public static Option<string?> Text(string name, string helpName, string description, params string[] aliases) =>
        Value<string?>(name, helpName, description, NonEmpty, aliases);

    /// <summary>A switch given once for each value (<c>--san a --san b</c>); <paramref name="check"/> refuses a bad one.</summary>
    public static Option<string[]> Repeatable(string name, string helpName, string description, Func<string, string, string> check) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result => [.. result.Tokens.Select(token => Convert(result, token.Value, check) ?? "")],
        };

    /// <summary>A switch without a value; <c>--flag=value</c> is refused naming the flag (see <see cref="Errors"/>).</summary>
    public static Option<bool> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary><paramref name="args"/> parsed by <paramref name="command"/> alone (tests and the XxxSwitches.Parse helpers); a bad line is a <see cref="UsageError"/>.</summary>
    public static ParseResult Parse(Command command, IReadOnlyList<string> args)
    {
        var parsed = command.Parse(args, Parsing);
        return parsed.Errors.Count == 0 ? parsed : throw new UsageError(string.Join("; ", Errors(parsed, args)));
    }

    /// <summary>
    /// The parser's errors, two of them reworded because the parser's own wording hides the switch: a value given to
    /// a flag (<c>--rsa=yes</c> becomes an unknown argument 'yes') and one switch given twice (<c>-n 5 --messages 6</c>
    /// names only <c>-n</c>, and as "expects a single argument").
    /// </summary>
    public static IReadOnlyList<string> Errors(ParseResult parsed, IReadOnlyList<string> args)
    {
        var flagValues = FlagValues(parsed, args);
        return [.. parsed.Errors.Select(error => Reworded(error, parsed, flagValues)).Distinct()];
    }

    private static string NonEmpty(string text, string name) => text.Length > 0 ? text : throw new UsageError($"{name} needs a non-empty value");

    private static T? Convert<T>(ArgumentResult result, string text, Func<string, string, T> parse)
    {
        var name = result.Parent is OptionResult option ? option.IdentifierToken?.Value ?? option.Option.Name : result.Argument.Name;
        try
        {
            return parse(text, name);
        }
        catch (UsageError e)
        {
            result.AddError(e.Message);
            return default;
        }
    }

    private static string Reworded(ParseError error, ParseResult parsed, List<(string Flag, string Value)> flagValues)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        if (option is { IdentifierTokenCount: > 1 } && option.Option.Arity.MaximumNumberOfValues == 1)
        {
            string[] typed = [.. parsed.Tokens.Where(t => t.Type == TokenType.Option && (t.Value == option.Option.Name || option.Option.Aliases.Contains(t.Value))).Select(t => t.Value).Distinct()];
            return typed.Length > 1 ? $"{string.Join(" and ", typed)} are the same switch; give one" : $"{typed.FirstOrDefault() ?? option.Option.Name} given more than once";
        }

        return flagValues.FirstOrDefault(f => error.Message.Contains($"'{f.Value}'", StringComparison.Ordinal)) is { Flag: { } flag }
            ? $"{flag} takes no value"
            : error.Message;
    }

    /// <summary>Each <c>--flag=value</c> that the parser split in two, leaving the value over as an unknown argument.</summary>
    private static List<(string Flag, string Value)> FlagValues(ParseResult parsed, IReadOnlyList<string> args)
    {
        var flags = parsed.CommandResult.Command.Options.Where(o => o.Arity.MaximumNumberOfValues == 0).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet();
        return [.. args
            .Select(arg => arg.Split('=', 2))
            .Where(pair => pair.Length == 2 && flags.Contains(pair[0]) && parsed.UnmatchedTokens.Contains(pair[1]))
            .Select(pair => (pair[0], pair[1]))];
    }
}
